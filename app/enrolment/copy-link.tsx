// An invitation link with a button that copies it; the result is announced.
// Without JavaScript (or clipboard access) the link is still there to select.
import { useState } from "react";

export function CopyLink({ link, label }: { link: string; label: string }) {
  const [message, setMessage] = useState("");
  return (
    <div className="copy-link-box">
      <code className="copy-link">{link}</code>
      <button
        type="button"
        className="secondary"
        aria-label={label}
        onClick={() => {
          navigator.clipboard.writeText(link).then(
            () => setMessage("Link copied."),
            () => setMessage("Copying failed; select the link and copy it by hand."),
          );
        }}
      >
        Copy link
      </button>
      <span role="status" aria-live="polite">
        {message}
      </span>
    </div>
  );
}
