import type { ComponentChildren } from 'preact';

/** A form control with its visible label (every control in the console has one) and an optional hint. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint ? <span class="field-hint">{hint}</span> : null}
    </label>
  );
}

/** A `<select>` over fixed options. */
export function Select<T extends string>({ value, options, onChange, name }: {
  value: T;
  options: readonly T[] | readonly (readonly [T, string])[];
  onChange: (value: T) => void;
  name?: string;
}) {
  return (
    <select name={name} value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value as T)}>
      {options.map((option) => {
        const [optionValue, label] = typeof option === 'string' ? [option, option] : option;
        return (
          <option key={optionValue} value={optionValue}>
            {label}
          </option>
        );
      })}
    </select>
  );
}

/** The value of an input event's target. */
export function inputValue(event: Event): string {
  return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
}

/** Time as the console shows it: local, to the second. */
export function formatTime(date: Date | undefined): string {
  if (!date) return '—';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
