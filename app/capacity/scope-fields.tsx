import { SelectField } from "~/lists/filter-select";
import { CHANNELS, SUPPORTED_LANGUAGES } from "~/reference/channels";
import { languageName } from "./names";

// The channel and language a capacity figure is for (a history, a threshold);
// the empty choice is all of them.

type ScopeSelect = Parameters<typeof SelectField>[0]["select"];

export function ChannelScopeField({ id, channels = CHANNELS, select }: { id: string; channels?: readonly { id: string; name: string }[]; select: ScopeSelect }) {
  return <SelectField id={id} label="Channel" emptyLabel="All channels" options={channels.map((c) => ({ value: c.id, label: c.name }))} select={select} />;
}

export function LanguageScopeField({ id, select }: { id: string; select: ScopeSelect }) {
  return <SelectField id={id} label="Language" emptyLabel="All languages" options={SUPPORTED_LANGUAGES.map((l) => ({ value: l, label: languageName(l) }))} select={select} />;
}
