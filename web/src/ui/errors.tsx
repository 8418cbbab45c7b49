/** The AWS error name and message of a failure, as the SDKs name them (e.g. `DisabledException: ... is disabled.`). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}

/** A failure shown where it happened, announced to screen readers. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p class="notice error" role="alert">
      {describeError(error)}
    </p>
  );
}
