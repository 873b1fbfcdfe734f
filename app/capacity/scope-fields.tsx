import type { Ref, SelectHTMLAttributes } from "react";
import { CHANNELS, SUPPORTED_LANGUAGES } from "~/reference/channels";
import { languageName } from "./names";

// The channel and language a capacity figure is for (a history, a threshold);
// the empty choice is all of them. `select` carries the select's own props:
// a GET filter's name and value, or a react-hook-form registration.

type ScopeSelect = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "children"> & { ref?: Ref<HTMLSelectElement> };

function ScopeField({ id, label, all, options, select }: { id: string; label: string; all: string; options: readonly { value: string; label: string }[]; select: ScopeSelect }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        <option value="">{all}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ChannelScopeField({ id, channels = CHANNELS, select }: { id: string; channels?: readonly { id: string; name: string }[]; select: ScopeSelect }) {
  return <ScopeField id={id} label="Channel" all="All channels" options={channels.map((c) => ({ value: c.id, label: c.name }))} select={select} />;
}

export function LanguageScopeField({ id, select }: { id: string; select: ScopeSelect }) {
  return <ScopeField id={id} label="Language" all="All languages" options={SUPPORTED_LANGUAGES.map((l) => ({ value: l, label: languageName(l) }))} select={select} />;
}
