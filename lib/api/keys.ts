/** TanStack Query key factories: every cached API result is keyed here, nowhere else. */
import { type ApiParams, cleanParams, type Endpoint } from './endpoints';

export const queryKeys = {
  all: ['scanline'] as const,
  endpoint: (endpoint: Endpoint) => [...queryKeys.all, endpoint] as const,
  request: (endpoint: Endpoint, params: ApiParams) =>
    [...queryKeys.endpoint(endpoint), cleanParams(params)] as const,
};
