import type { Ref, SelectHTMLAttributes } from "react";

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "children"> & { ref?: Ref<HTMLSelectElement> };

/**
 * A labelled select with an empty first choice ("Any", "All channels",
 * "None", "Choose…"). `select` carries the select's own props: a form's name
 * and value, or a react-hook-form registration.
 */
export function SelectField({
  id,
  label,
  emptyLabel,
  options,
  select,
}: {
  id: string;
  label: string;
  emptyLabel: string;
  options: readonly { value: string; label: string }[];
  select: SelectProps;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled "Any / one of these" select for GET filter forms on list pages. */
export function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | null | undefined;
  options: readonly { value: string; label: string }[];
}) {
  return <SelectField id={name} label={label} emptyLabel="Any" options={options} select={{ name, defaultValue: value ?? "" }} />;
}
