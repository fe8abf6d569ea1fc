/** Destination ports as API keys: '445/tcp'. Only TCP and UDP ports are ranked. */

export type Proto = 'tcp' | 'udp';

export interface PortRef {
  proto: Proto;
  port: number;
}

/** Parses '445/tcp' (also '445/TCP', '445-tcp'); null when malformed or out of range. */
export function parsePortKey(s: string): PortRef | null {
  const m = /^(\d{1,5})[/-](tcp|udp)$/i.exec(s.trim());
  if (!m) return null;
  const port = Number(m[1]);
  if (port > 65535) return null;
  return { proto: m[2]!.toLowerCase() as Proto, port };
}

export function portKey(p: PortRef): string {
  return `${p.port}/${p.proto}`;
}

/** '445/TCP', the way analysts write it. */
export function portLabel(p: PortRef): string {
  return `${p.port}/${p.proto.toUpperCase()}`;
}

/** URL path segment for the port detail page: '445-tcp'. */
export function portSlug(p: PortRef): string {
  return `${p.port}-${p.proto}`;
}

const SERVICES: Record<string, string> = {
  'tcp/21': 'ftp',
  'tcp/22': 'ssh',
  'tcp/23': 'telnet',
  'tcp/25': 'smtp',
  'udp/53': 'domain',
  'tcp/53': 'domain',
  'tcp/80': 'http',
  'tcp/81': 'http-alt',
  'tcp/110': 'pop3',
  'udp/123': 'ntp',
  'tcp/135': 'epmap',
  'udp/137': 'netbios-ns',
  'tcp/139': 'netbios-ssn',
  'tcp/143': 'imap',
  'udp/161': 'snmp',
  'tcp/443': 'https',
  'tcp/445': 'microsoft-ds',
  'udp/500': 'isakmp',
  'tcp/1433': 'ms-sql-s',
  'udp/1434': 'ms-sql-m',
  'tcp/1723': 'pptp',
  'udp/1900': 'ssdp',
  'tcp/2323': 'telnet-alt',
  'tcp/2375': 'docker',
  'tcp/3306': 'mysql',
  'tcp/3389': 'rdp',
  'udp/3389': 'rdp',
  'tcp/5060': 'sip',
  'udp/5060': 'sip',
  'tcp/5432': 'postgresql',
  'tcp/5555': 'adb',
  'tcp/5900': 'vnc',
  'tcp/6379': 'redis',
  'tcp/7547': 'cwmp',
  'tcp/8080': 'http-alt',
  'tcp/8443': 'https-alt',
  'tcp/8888': 'http-alt',
  'tcp/9200': 'elasticsearch',
  'udp/11211': 'memcached',
  'tcp/27017': 'mongodb',
  'tcp/37215': 'huawei-hg532',
  'tcp/52869': 'upnp',
};

/** Well-known service name ('microsoft-ds' for 445/tcp), or undefined. */
export function serviceName(p: PortRef): string | undefined {
  return SERVICES[`${p.proto}/${p.port}`];
}
