import { useEffect, useId, useRef } from 'preact/hooks';

/**
 * A secret shown once (a new access key, a new account's root key), in a box that says so, until the user
 * confirms they saved it. The secret lives only in the state of the component that shows it: nothing stores it,
 * and it is gone when dismissed or when the page is left. The box takes the focus so that it is not missed.
 */
export function OneTimeSecret({ title, entries, onDismiss }: {
  title: string;
  /** Label and value pairs, e.g. the access key id and its secret access key. */
  entries: readonly (readonly [string, string])[];
  onDismiss: () => void;
}) {
  const box = useRef<HTMLElement>(null);
  const titleId = useId();
  useEffect(() => box.current?.focus(), []);
  return (
    <section class="secret one-time-secret" ref={box} tabIndex={-1} aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      <p class="secret-warning">
        <strong>Shown only once.</strong> Save the secret now, somewhere safe: Strongroom keeps it wrapped by its root
        key and never shows it again.
      </p>
      <dl class="secret-values">
        {entries.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd class="mono">{value}</dd>
          </div>
        ))}
      </dl>
      <button type="button" class="primary" onClick={onDismiss}>
        I have saved it
      </button>
    </section>
  );
}
