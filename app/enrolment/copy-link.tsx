// An invitation link with a button that copies it; the result is announced.
// Without JavaScript (or clipboard access) the link is still there to select.
import { useState } from "react";

/** `person` completes the button's name for screen readers ("Copy link for Ana"), which starts with its visible text. */
export function CopyLink({ link, person }: { link: string; person: string }) {
  const [message, setMessage] = useState("");
  return (
    <div className="copy-link-box">
      <code className="copy-link">{link}</code>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          navigator.clipboard.writeText(link).then(
            () => setMessage("Link copied."),
            () => setMessage("Copying failed; select the link and copy it by hand."),
          );
        }}
      >
        Copy link<span className="visually-hidden"> for {person}</span>
      </button>
      <span role="status" aria-live="polite">
        {message}
      </span>
    </div>
  );
}
