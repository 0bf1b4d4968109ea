/**
 * The runtime schema of the model format (DESIGN §3). It is the single source of the TypeScript types
 * (`z.infer`) and of the JSON Schema that editors use (`threatkrew schema`). Cross-references (ids that
 * must exist, cycles, duplicate ids) are checked afterwards in `check-model.ts`, because they need the
 * whole, merged model.
 */
import { z } from 'zod';
import {
  ACTIONS,
  AUTHN_METHODS,
  BOUNDARY_KINDS,
  CLASSIFICATIONS,
  COMPONENT_KINDS,
  CONTROLS,
  CREDENTIAL_LIFETIMES,
  ELEMENT_REF_PATTERN,
  EXPOSURES,
  FLOW_PURPOSES,
  GRANT_ACTIONS,
  ID_PATTERN,
  IDENTITY_KINDS,
  RISK_STATUSES,
  SECRET_LOCATIONS,
  TRUST_ASSUMPTIONS,
  VIA_NETWORKS,
} from './vocabulary.js';

const id = z.string().regex(ID_PATTERN).describe('An id: letters, digits and . _ : / @ - (at most 128).');
const ref = (what: string) => id.describe(`The id of ${what}.`);
/** A reference to any element, where a flow may also be named by its derived id `<from>-><to>`. */
const elementRef = (what: string) =>
  z
    .string()
    .regex(ELEMENT_REF_PATTERN)
    .describe(`The id of ${what} (a flow without an id is named <from>-><to>).`);
const text = z.string();
const triState = z
  .union([z.boolean(), z.literal('unknown')])
  .describe('true, false or unknown; absent means unknown.');
const uniqueList = <T extends z.ZodType>(item: T) => z.array(item);

export const sourceSchema = z
  .strictObject({
    file: text,
    line: z.number().int().min(1),
    col: z.number().int().min(1),
    text: text.optional(),
    origin: text.optional().describe('Where the element came from: english, compose, llm, ...'),
    llm: z.array(text).optional().describe('The field names an LLM added to this element.'),
  })
  .describe('Where an importer found this element (1-based line and column).');

const display = {
  name: text.optional().describe('Display name; never part of an id or fingerprint.'),
  description: text.optional(),
  source: sourceSchema.optional(),
};

export const boundarySchema = z.strictObject({
  id,
  kind: z.enum(BOUNDARY_KINDS),
  in: ref('the enclosing boundary').optional(),
  provider: text.optional().describe('aws, azure, gcp, ...'),
  jurisdiction: text.optional().describe('EU, US, ...'),
  agreement: triState
    .optional()
    .describe(
      'Extension: a data-processing agreement (DPA, BAA) covers data sent into this third-party boundary.',
    ),
  ...display,
});

export const componentSchema = z.strictObject({
  id,
  kind: z.enum(COMPONENT_KINDS),
  tech: text.optional().describe('The technology, kept as written (postgresql, aws-api-gateway, ...).'),
  in: ref('the boundary it runs in').optional(),
  environment: text.optional().describe('production, staging, development, ...'),
  exposure: z.enum(EXPOSURES).optional().describe('Absent: derived from the flows from internet sources.'),
  enforces: uniqueList(z.enum(CONTROLS)).optional().describe('Controls applied to traffic passing through.'),
  controls: uniqueList(z.enum(CONTROLS)).optional().describe('Controls it applies itself.'),
  assumes: uniqueList(z.enum(TRUST_ASSUMPTIONS)).optional().describe('Trust it relies on.'),
  stores: uniqueList(ref('a data asset')).optional().describe('Data it holds at rest.'),
  'encrypted-at-rest': triState.optional(),
  privileged: triState
    .optional()
    .describe('Root/host access, privileged container, docker socket, cluster-admin.'),
  'fetches-urls': triState.optional().describe('Retrieves URLs that callers supply (SSRF-prone).'),
  'secrets-in': uniqueList(z.enum(SECRET_LOCATIONS)).optional().describe('Where its credentials live.'),
  replicas: z.number().int().min(1).optional(),
  'runs-as': ref('an identity').optional(),
  agreement: triState
    .optional()
    .describe('Extension: a data-processing agreement covers data sent to this external service or LLM.'),
  ...display,
});

export const grantSchema = z.strictObject({
  resource: z
    .string()
    .regex(/^(\*|[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127})$/)
    .describe('A component id, or "*" for every resource.'),
  actions: uniqueList(z.enum(GRANT_ACTIONS)).describe('admin and "*" cover every action.'),
  scope: uniqueList(text).optional().describe('Tables, buckets, topics; absent means the whole resource.'),
});

export const identitySchema = z.strictObject({
  id,
  kind: z.enum(IDENTITY_KINDS),
  credentials: z.enum(CREDENTIAL_LIFETIMES).optional(),
  grants: z.array(grantSchema).optional(),
  'assumable-by': uniqueList(z.string().regex(/^(\*|[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127})$/))
    .optional()
    .describe(
      'Extension: who may assume or use this identity (component, identity or boundary ids, or "*").',
    ),
  ...display,
});

export const dataSchema = z.strictObject({
  id,
  classification: z.enum(CLASSIFICATIONS),
  residency: uniqueList(text)
    .min(1)
    .optional()
    .describe('Extension: the jurisdictions where this data may be stored and processed (EU, US, ...).'),
  ...display,
});

export const flowSchema = z.strictObject({
  id: id.optional().describe('Absent: the derived id <from>-><to>.'),
  from: ref('the component that initiates the flow'),
  to: ref('the component it calls'),
  protocol: text.optional().describe('https, grpc, postgres, ... (compared case-insensitively).'),
  encrypted: triState.optional().describe('Absent: derived from the protocol.'),
  authn: z.enum(AUTHN_METHODS).optional(),
  actions: uniqueList(z.enum(ACTIONS)).optional(),
  scope: uniqueList(text).optional(),
  purpose: z.enum(FLOW_PURPOSES).optional(),
  via: z.enum(VIA_NETWORKS).optional(),
  data: uniqueList(ref('a data asset')).optional(),
  ...display,
});

export const assumptionSchema = z.strictObject({
  id,
  text,
  ...display,
});

export const questionSchema = z.strictObject({
  id,
  subject: elementRef('the element the question is about'),
  attribute: text.describe('The model field the question is about (encrypted, authn, ...).'),
  text,
  source: sourceSchema.optional(),
});

export const riskSchema = z.strictObject({
  id: id.optional(),
  finding: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional()
    .describe('A finding fingerprint (16 lowercase hex characters; quote it).'),
  rule: text.optional().describe('A rule id; with primary, matches findings of that rule.'),
  primary: z
    .union([elementRef('an element'), z.array(elementRef('an element')).min(1)])
    .optional()
    .describe("The finding's primary element id, or a list of ids (matched as a set)."),
  status: z.enum(RISK_STATUSES),
  reason: text,
  owner: text.optional().describe('Who accepted the risk (required when accepted).'),
  expires: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .describe('YYYY-MM-DD; the acceptance holds through that day.'),
  how: text.optional().describe('What was done (required when mitigated).'),
  source: sourceSchema.optional(),
});

export const modelFileSchema = z.strictObject({
  $schema: z.string().optional(),
  threatkrew: z.literal(1).describe('The format version: 1.'),
  name: text.optional(),
  description: text.optional(),
  boundaries: z.array(boundarySchema).optional(),
  components: z.array(componentSchema).optional(),
  identities: z.array(identitySchema).optional(),
  data: z.array(dataSchema).optional(),
  flows: z.array(flowSchema).optional(),
  assumptions: z.array(assumptionSchema).optional(),
  questions: z.array(questionSchema).optional(),
  risks: z.array(riskSchema).optional(),
});

/** A side file of risk decisions (`--risks FILE`, DESIGN §7). */
export const risksFileSchema = z.strictObject({
  $schema: z.string().optional(),
  threatkrew: z.literal(1),
  risks: z.array(riskSchema),
});

export type Source = z.infer<typeof sourceSchema>;
export type Boundary = z.infer<typeof boundarySchema>;
export type Component = z.infer<typeof componentSchema>;
export type Grant = z.infer<typeof grantSchema>;
export type Identity = z.infer<typeof identitySchema>;
export type DataAsset = z.infer<typeof dataSchema>;
export type Flow = z.infer<typeof flowSchema>;
export type Assumption = z.infer<typeof assumptionSchema>;
export type Question = z.infer<typeof questionSchema>;
export type RiskDecision = z.infer<typeof riskSchema>;
export type ModelFile = z.infer<typeof modelFileSchema>;

/** The merged model: one or more files joined by disjoint union; every list present. */
export interface Model {
  threatkrew: 1;
  name: string;
  description?: string;
  boundaries: Boundary[];
  components: Component[];
  identities: Identity[];
  data: DataAsset[];
  flows: Flow[];
  assumptions: Assumption[];
  questions: Question[];
  risks: RiskDecision[];
}

export const MODEL_LISTS = [
  'boundaries',
  'components',
  'identities',
  'data',
  'flows',
  'assumptions',
  'questions',
  'risks',
] as const;
export type ModelList = (typeof MODEL_LISTS)[number];

/** The JSON Schema for editors, generated from the runtime schema. */
export function modelJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(modelFileSchema, { target: 'draft-2020-12', io: 'input' });
  return {
    ...generated,
    $id: 'https://threatkrew.dev/schema/threatkrew.schema.json',
    title: 'ThreatKrew model',
    description: 'An architecture to threat-model: boundaries, components, identities, data and flows.',
  };
}
