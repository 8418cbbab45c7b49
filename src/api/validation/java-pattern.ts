/**
 * The AWS model writes member patterns as Java regular expressions, which AWS evaluates with
 * `Matcher.matches()`: the whole value must match, anchors or not. This turns one into an equivalent
 * JavaScript RegExp, compiled once when the validator is built.
 *
 * The constructs the model uses (`[...]` classes, `\uXXXX`, `\w`, `\d`, `\s`, `{n,m}`, groups, `^`/`$`)
 * mean the same in both dialects, with one exception handled here: Java's `\s` is ASCII whitespace only,
 * while JavaScript's includes Unicode spaces. No `u` flag: the model's classes such as `[a-zA-Z0-9-_.]` use
 * a literal `-` after a range, which Unicode mode rejects, and every pattern is ASCII or `\uXXXX` anyway.
 *
 * @example
 *   compileJavaPattern('[0-9]{12}').test('123456789012'); // true
 *   compileJavaPattern('[0-9]{12}').test('x123456789012'); // false: the whole value must match
 */
export function compileJavaPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${asciiWhitespaceOnly(pattern)})$`);
}

/** Java's `\s`, spelled out: space, tab, newline, vertical tab, form feed, carriage return. */
const JAVA_WHITESPACE = ' \\t\\n\\x0B\\f\\r';

/** Rewrites each unescaped `\s` to Java's ASCII whitespace set (bare inside a class, bracketed outside). */
function asciiWhitespaceOnly(pattern: string): string {
  let result = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '\\') {
      const escaped = pattern[index + 1] ?? '';
      index += 1;
      if (escaped === 's') result += inClass ? JAVA_WHITESPACE : `[${JAVA_WHITESPACE}]`;
      else result += `\\${escaped}`;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    result += char;
  }
  return result;
}
