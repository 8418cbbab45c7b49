import { SerializationException } from '../../errors.js';
import { describeMissing, validationError } from '../validation/violation-message.js';

/** A string member's constraints, reported in AWS's words when violated. */
export interface StringConstraints {
  readonly required?: boolean;
  /** The pattern the whole value must match, and how the message shows it. */
  readonly pattern?: { readonly test: RegExp; readonly shown: string };
  /** A check with no pattern to show (e.g. "an IP address"), phrased as "Member must be ...". */
  readonly must?: { readonly test: (value: string) => boolean; readonly phrase: string };
  readonly maxLength?: number;
}

/**
 * Reads an admin request's JSON members as AWS's JSON protocol does: a member of the wrong JSON type fails
 * at once with SerializationException (the deserializer cannot read it); constraint violations are
 * collected and reported together by `check()` as one ValidationException ("2 validation errors detected:
 * ..."). Unknown members are ignored, as AWS ignores them. Values are echoed in messages: the admin API's
 * inputs are ids, ARNs and actions, never secrets.
 *
 * @example
 *   const input = new AdminInput(body);
 *   const principalArn = input.string('PrincipalArn', { required: true });
 *   input.check();
 */
export class AdminInput {
  readonly #body: Readonly<Record<string, unknown>>;
  readonly #violations: string[] = [];

  constructor(body: Readonly<Record<string, unknown>>) {
    this.#body = body;
  }

  /**
   * The member's string value; undefined when absent. A required member that is absent reads as '' and is
   * recorded as a violation, so `check()` throws before the value is used.
   */
  string(member: string, constraints: StringConstraints & { readonly required: true }): string;
  string(member: string, constraints?: StringConstraints): string | undefined;
  string(member: string, constraints: StringConstraints = {}): string | undefined {
    const value = this.#present(member);
    const path = pathOf(member);
    if (value === undefined) {
      if (constraints.required !== true) return undefined;
      this.#violations.push(describeMissing(path));
      return '';
    }
    if (typeof value !== 'string') throw new SerializationException(`Expected a string at '${path}'`);
    const { pattern, must, maxLength } = constraints;
    if (maxLength !== undefined && value.length > maxLength) {
      // Not echoed: a value over its limit may be anything, of any size.
      this.#violations.push(`Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`);
    } else if (pattern !== undefined && !pattern.test.test(value)) {
      this.#violations.push(violation(value, path, `Member must satisfy regular expression pattern: ${pattern.shown}`));
    } else if (must !== undefined && !must.test(value)) {
      this.#violations.push(violation(value, path, `Member must be ${must.phrase}`));
    }
    return value;
  }

  /** A JSON object of strings (an encryption context), or undefined when absent. */
  stringMap(member: string): Readonly<Record<string, string>> | undefined {
    const value = this.#present(member);
    if (value === undefined) return undefined;
    const path = pathOf(member);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SerializationException(`Expected a JSON object of strings at '${path}'`);
    }
    const map: Record<string, string> = {};
    for (const [name, item] of Object.entries(value)) {
      if (typeof item !== 'string') throw new SerializationException(`Expected a JSON object of strings at '${path}'`);
      map[name] = item;
    }
    return map;
  }

  /** Throws the collected violations as one ValidationException; returns when there are none. */
  check(): void {
    if (this.#violations.length > 0) throw validationError(this.#violations);
  }

  /** JSON `null` counts as absent, as in AWS's deserializers. */
  #present(member: string): unknown {
    const value = Object.hasOwn(this.#body, member) ? this.#body[member] : undefined;
    return value === null ? undefined : value;
  }
}


/** AWS names members in validation messages in lower camel case (`PrincipalArn` → `principalArn`). */
function pathOf(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

function violation(value: string, path: string, phrase: string): string {
  return `Value '${value}' at '${path}' failed to satisfy constraint: ${phrase}`;
}
