import { cloneElement, isValidElement, type ComponentChildren, type VNode } from 'preact';
import { useId } from 'preact/hooks';

/**
 * A form control with its visible label (every control in the console has one) and an optional hint. The label
 * names the control through `for`/`id` and the hint describes it (`aria-describedby`), so a control's accessible
 * name is its label alone, not the label with the hint and a select's every option in it.
 * Children that are not a single control (an input inside a decorated box) are wrapped by the label instead.
 */
export function Field({ label, hint, children }: { label: string; hint?: string; children: ComponentChildren }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const hintText = hint ? (
    <span class="field-hint" id={hintId}>
      {hint}
    </span>
  ) : null;
  if (!isSingleControl(children)) {
    return (
      <div class="field">
        <label class="field-wrapper">
          <span class="field-label">{label}</span>
          {children}
        </label>
        {hintText}
      </div>
    );
  }
  const described = [children.props['aria-describedby'], hint ? hintId : undefined].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {label}
      </label>
      {cloneElement(children, { id, ...(described ? { 'aria-describedby': described } : {}) })}
      {hintText}
    </div>
  );
}

type ControlVNode = VNode<{ 'aria-describedby'?: string; id?: string }>;

function isSingleControl(children: ComponentChildren): children is ControlVNode {
  if (!isValidElement(children)) return false;
  const type = (children as VNode).type;
  return type === 'input' || type === 'select' || type === 'textarea' || type === Select;
}

/** A `<select>` over fixed options. */
export function Select<T extends string>({ value, options, onChange, name, id, 'aria-describedby': describedBy }: {
  value: T;
  options: readonly T[] | readonly (readonly [T, string])[];
  onChange: (value: T) => void;
  name?: string;
  /** Given by `Field`, whose label names the select. */
  id?: string;
  'aria-describedby'?: string;
}) {
  return (
    <select name={name} id={id} aria-describedby={describedBy} value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value as T)}>
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
