/** The protocol table (DESIGN §3): which protocols imply encryption. Compared case-insensitively. */
import type { TriState } from './vocabulary.js';

export const ENCRYPTED_PROTOCOLS: ReadonlySet<string> = new Set([
  'https',
  'wss',
  'grpcs',
  'tls',
  'ldaps',
  'sftp',
  'ftps',
  'ssh',
  'scp',
  'smtps',
  'imaps',
  'pop3s',
  'amqps',
  'mqtts',
  'rediss',
  'kafka-tls',
  'ipsec',
  'wireguard',
]);

export const PLAINTEXT_PROTOCOLS: ReadonlySet<string> = new Set([
  'http',
  'ws',
  'ftp',
  'telnet',
  'ldap',
  'smtp',
  'imap',
  'pop3',
  'amqp',
  'mqtt',
  'redis',
  'memcached',
  'nfs',
  'kafka-plaintext',
  'syslog',
]);

/** What a protocol says about encryption: true, false, or unknown (grpc, postgres, kafka, ...). */
export function protocolEncryption(protocol: string | undefined): TriState {
  if (protocol === undefined) return 'unknown';
  const p = protocol.toLowerCase();
  if (ENCRYPTED_PROTOCOLS.has(p)) return true;
  if (PLAINTEXT_PROTOCOLS.has(p)) return false;
  return 'unknown';
}
