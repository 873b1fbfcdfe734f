import { AbilityProvider, useAbility } from "@casl/react";
import type { AppAbility } from "./ability";

// The browser's copy of the user's ability (unpacked from the root loader).
// It only decides what to show; the server checks every request again.
export { AbilityProvider };
export const useAppAbility = () => useAbility<AppAbility>();
export { Can } from "@casl/react";
