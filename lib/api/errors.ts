/**
 * The API's one error envelope:
 *   { "error": { "status": 400, "code": "bad_parameter", "parameter": "from", "message": "..." } }
 */

export type ApiErrorCode = 'bad_parameter' | 'not_found' | 'internal';

export interface ApiErrorBody {
  error: {
    status: number;
    code: ApiErrorCode;
    message: string;
    parameter?: string;
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    const error: ApiErrorBody['error'] = {
      status: this.status,
      code: this.code,
      message: this.message,
    };
    if (this.parameter) error.parameter = this.parameter;
    return { error };
  }
}

/** 400 naming the parameter: "Invalid parameter 'from': expected ...". */
export function badParameter(parameter: string, problem: string): ApiError {
  return new ApiError(
    400,
    'bad_parameter',
    `Invalid parameter '${parameter}': ${problem}`,
    parameter,
  );
}

export function notFound(message: string): ApiError {
  return new ApiError(404, 'not_found', message);
}

export function isApiErrorBody(x: unknown): x is ApiErrorBody {
  if (typeof x !== 'object' || x === null || !('error' in x)) return false;
  const e = (x as { error: unknown }).error;
  return typeof e === 'object' && e !== null && 'message' in e;
}
