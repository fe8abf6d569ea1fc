/**
 * The public API's route handlers called in-process, as Next.js would call them for a
 * request: for tests that check answers without a server.
 */
import { NextRequest } from 'next/server';
import { GET as anomalies } from '@/app/api/v1/anomalies/route';
import { GET as asnsTop } from '@/app/api/v1/asns/top/route';
import { GET as chartPng } from '@/app/api/v1/chart.png/route';
import { GET as countriesTop } from '@/app/api/v1/countries/top/route';
import { GET as host } from '@/app/api/v1/hosts/[ip]/route';
import { GET as hosts } from '@/app/api/v1/hosts/route';
import { GET as meta } from '@/app/api/v1/meta/route';
import { GET as portShare } from '@/app/api/v1/port-share/route';
import { GET as shareSeries } from '@/app/api/v1/port-share/series/route';
import { GET as portsTop } from '@/app/api/v1/ports/top/route';
import { GET as series } from '@/app/api/v1/series/route';
import { GET as totals } from '@/app/api/v1/totals/route';

type Handler = (req: NextRequest) => Promise<Response>;

/** Every route under /api/v1 with no path parameter, by its path. */
export const ROUTES: Record<string, Handler> = {
  'ports/top': portsTop,
  'countries/top': countriesTop,
  series,
  hosts,
  totals,
  'asns/top': asnsTop,
  'port-share': portShare,
  'port-share/series': shareSeries,
  meta,
  'chart.png': chartPng,
  anomalies,
};

/** GET /api/v1/{path}?{qs} (path: a key of ROUTES). */
export function callRoute(path: string, qs: string): Promise<Response> {
  const handler = ROUTES[path];
  if (!handler) throw new Error(`no route ${path}`);
  return handler(new NextRequest(`http://localhost/api/v1/${path}${qs ? `?${qs}` : ''}`));
}

/** GET /api/v1/hosts/{ip}?{qs}. */
export function callHost(ip: string, qs = ''): Promise<Response> {
  const param = encodeURIComponent(ip);
  return host(new NextRequest(`http://localhost/api/v1/hosts/${param}${qs ? `?${qs}` : ''}`), {
    params: Promise.resolve({ ip: param }),
  });
}
