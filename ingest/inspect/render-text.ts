/** Human-readable inspect output (capinfos-like), one block per file. */
import { linkTypeName } from '../decode/link-types';
import type { InspectResult } from './inspect-file';

const TOP_PORTS = 5;

function row(label: string, value: string): string {
  return `${`${label}:`.padEnd(16)}${value}`;
}

export function renderText(r: InspectResult): string {
  const lines: string[] = [];
  lines.push(row('File', r.file));
  const fmt = r.format === null ? 'unknown' : r.format;
  lines.push(row('Format', r.compression ? `${fmt} (${r.compression})` : fmt));
  if (r.linkTypes.length > 0) {
    lines.push(
      row('Link types', r.linkTypes.map((lt) => `${lt} (${linkTypeName(lt)})`).join(', ')),
    );
  }
  lines.push(row('Packets', `${r.packets} (IP ${r.ipPackets}, non-IP ${r.nonIpPackets})`));
  lines.push(row('First packet', r.first ?? '-'));
  lines.push(row('Last packet', r.last ?? '-'));
  lines.push(
    row(
      'Status',
      r.ok
        ? 'OK'
        : `ERROR: ${r.error?.message} (record ${r.error?.record}, byte offset ${r.error?.offset})`,
    ),
  );
  const days = Object.entries(r.days);
  if (days.length > 0) {
    lines.push('Per UTC day:');
    lines.push(
      `  ${'day'.padEnd(11)}${'packets'.padStart(10)}${'sources'.padStart(10)}${'syn'.padStart(9)}${'syn/ack'.padStart(9)}${'rst'.padStart(9)}  top destination ports (packets/sources)`,
    );
    for (const [day, d] of days) {
      const ports = Object.entries(d.ports)
        .slice(0, TOP_PORTS)
        .map(([k, p]) => `${k} ${p.packets}/${p.sources}`)
        .join(', ');
      lines.push(
        `  ${day.padEnd(11)}${String(d.packets).padStart(10)}${String(d.sources).padStart(10)}${String(d.tcpFlags.syn).padStart(9)}${String(d.tcpFlags.synAck).padStart(9)}${String(d.tcpFlags.rst).padStart(9)}  ${ports}`,
      );
    }
  }
  return lines.join('\n');
}
