import { KmsError } from '../errors.js';

/**
 * CloudTrail's LookupEvents exceptions (from the CloudTrail model), as errors of the shared catalogue's base
 * class so that the wire layer maps them like every other AWS error. Status 400, as CloudTrail answers them.
 */

/** More than one lookup attribute, an unknown attribute key, or an empty or over-long value. */
export class InvalidLookupAttributesException extends KmsError {
  constructor(message: string) {
    super('InvalidLookupAttributesException', message);
  }
}

/** StartTime after EndTime. */
export class InvalidTimeRangeException extends KmsError {
  constructor(message = 'Occurs if the timestamp values are invalid. Either the start time occurs after the end time or the time range is outside the range of possible values.') {
    super('InvalidTimeRangeException', message);
  }
}

/** MaxResults outside 1–50. */
export class InvalidMaxResultsException extends KmsError {
  constructor(message = 'This exception is thrown if the limit specified is not valid.') {
    super('InvalidMaxResultsException', message);
  }
}

/** A NextToken that is malformed or was issued for different parameters. */
export class InvalidNextTokenException extends KmsError {
  constructor(message = 'A token that is not valid, or a token that was previously used in a request with different parameters.') {
    super('InvalidNextTokenException', message);
  }
}
