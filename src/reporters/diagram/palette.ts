/** The diagrams' colours, shared by every format so that a DOT, SVG and Mermaid diagram agree. */
import type { Severity } from '../../engine/severity.js';
import type { Encryption } from './graph.js';

export interface Swatch {
  /** Fill of a node. */
  readonly fill: string;
  /** Border of a node, colour of an edge and of its label. */
  readonly stroke: string;
}

/** Severity colours (worst open finding); strong hues ordered from red to blue, readable as text. */
export const SEVERITY_COLOURS: Readonly<Record<Severity, Swatch>> = {
  critical: { fill: '#f9c9c9', stroke: '#b3001b' },
  high: { fill: '#fdd9b5', stroke: '#d35400' },
  medium: { fill: '#fbecb1', stroke: '#9a7000' },
  low: { fill: '#d6e6fb', stroke: '#1f5fbf' },
  info: { fill: '#e8e8e8', stroke: '#666666' },
};

/** A node that no open finding touches. */
export const CLEAN: Swatch = { fill: '#ffffff', stroke: '#455a64' };

/** Edge colours when no open finding names the flow. */
export const ENCRYPTION_COLOURS: Readonly<Record<Encryption, string>> = {
  encrypted: '#37474f',
  unencrypted: '#c62828',
  unknown: '#8a8a8a',
};

/** Cluster fill and border by boundary kind; light tints so that nested clusters stay apart. */
const BOUNDARY_COLOURS: Readonly<Record<string, Swatch>> = {
  internet: { fill: '#eaf3fd', stroke: '#5b8def' },
  'third-party': { fill: '#f3ecfb', stroke: '#8e6bd1' },
  'cloud-account': { fill: '#fdf6ec', stroke: '#d9902f' },
  region: { fill: '#fffdf4', stroke: '#c9a227' },
  network: { fill: '#f1f8f1', stroke: '#5e9c5e' },
  subnet: { fill: '#fafdf8', stroke: '#8bbf7a' },
  cluster: { fill: '#ecf6f6', stroke: '#3f8f8f' },
  namespace: { fill: '#f8fcfc', stroke: '#6fb0b0' },
  host: { fill: '#f4f4f4', stroke: '#7d7d7d' },
  'on-prem': { fill: '#f4f1ee', stroke: '#8d6e63' },
  device: { fill: '#f4f4f4', stroke: '#7d7d7d' },
};

export function boundaryColours(kind: string): Swatch {
  return BOUNDARY_COLOURS[kind] ?? { fill: '#f6f6f6', stroke: '#8a8a8a' };
}

export function severityColours(severity: Severity | undefined): Swatch {
  return severity === undefined ? CLEAN : SEVERITY_COLOURS[severity];
}

/** An edge's colour: its worst open finding, else how it is encrypted. */
export function edgeColour(severity: Severity | undefined, encryption: Encryption): string {
  return severity === undefined ? ENCRYPTION_COLOURS[encryption] : SEVERITY_COLOURS[severity].stroke;
}
