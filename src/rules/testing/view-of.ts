/**
 * A View from a model written inline in a test, for the unit tests of shared rule helpers: the YAML goes
 * through the real loader, so an invalid model fails the test with its diagnostics.
 */
import { formatDiagnostic } from '../../model/diagnostics.js';
import { loadModelSources } from '../../model/load.js';
import { parseSource } from '../../model/source-file.js';
import type { View } from '../../model/view.js';

/** Loads a YAML model (`threatkrew: 1` is added); throws with the diagnostics when it is not valid. */
export function viewOf(yaml: string): View {
  const parsed = parseSource('inline.yaml', `threatkrew: 1\nname: inline\n${yaml}`);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  const loaded = loadModelSources([parsed.source]);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.view;
}
