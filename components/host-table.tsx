'use client';
/** Source hosts with country, AS, packets, ports, class and fingerprints. */
import Link from 'next/link';
import type { HostSummary } from '@/lib/api/types';
import { countryName } from '@/lib/charts/countries';
import { formatInt } from '@/lib/charts/format';
import { hostHref, type SliceLink } from '@/lib/url-state/links';

export function HostTable({
  hosts,
  slice,
  testId = 'hosts',
}: {
  hosts: HostSummary[];
  slice: SliceLink;
  testId?: string;
}) {
  return (
    <table className="host-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">Address</th>
          <th scope="col">Country</th>
          <th scope="col">AS</th>
          <th scope="col" className="num">
            Packets
          </th>
          <th scope="col">Top ports</th>
          <th scope="col">Class</th>
          <th scope="col">Fingerprints</th>
          <th scope="col">First / last seen (UTC)</th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((h) => (
          <tr key={h.ip} data-ip={h.ip}>
            <td className="mono">
              <Link href={hostHref(h.ip, slice)}>{h.ip}</Link>
            </td>
            <td title={countryName(h.country)}>{h.country}</td>
            <td>
              {h.asn ? (
                <>
                  <span className="mono">AS{h.asn}</span>{' '}
                  <span className="muted small">{h.asOrg}</span>
                </>
              ) : (
                <span className="muted">–</span>
              )}
            </td>
            <td className="num" data-col="packets">
              {formatInt(h.packets)}
            </td>
            <td className="small">
              {h.ports.slice(0, 3).map((p) => (
                <span key={p.port} className="tag">
                  {p.port.toUpperCase()}
                </span>
              ))}
            </td>
            <td>
              <span className={`tag tag-${h.class}`}>{h.class}</span>
            </td>
            <td className="small">
              {h.fingerprints.length ? (
                h.fingerprints.map((f) => (
                  <span key={f} className="tag">
                    {f}
                  </span>
                ))
              ) : (
                <span className="muted">–</span>
              )}
            </td>
            <td className="small mono">
              {h.firstSeen.slice(0, 16).replace('T', ' ')} /{' '}
              {h.lastSeen.slice(0, 16).replace('T', ' ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
