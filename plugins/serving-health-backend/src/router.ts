import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { HistoryTransition } from '@serving-health/plugin-serving-health-common';
import { z } from 'zod';
import { TriageHistoryStore } from './database/TriageHistoryStore';
import { PolicyReader } from './services/PolicyReader';
import { TriageService } from './services/TriageService';

// Entity ref parts as the catalog accepts them; anything else is a 400, not a lookup.
const part = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const paramsSchema = z.object({ namespace: part, kind: part, name: part });
/** Entities summarized by one POST /summaries: a catalog table page (its largest page size is 100). */
export const MAX_SUMMARY_REFS = 100;
// A full ref (`kind:namespace/name`): each part as the catalog accepts it, so nothing else reaches a lookup.
const entityRefSchema = z.string().transform((value, ctx) => {
  try {
    const ref = parseEntityRef(value);
    const parsed = paramsSchema.safeParse(ref);
    if (parsed.success) return stringifyEntityRef(ref);
  } catch {
    // reported below
  }
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `'${value.slice(
      0,
      300,
    )}' is not an entity ref of the form kind:namespace/name`,
  });
  return z.NEVER;
});
const summariesBodySchema = z.object({
  entityRefs: z.array(entityRefSchema).min(1).max(MAX_SUMMARY_REFS),
});
// A cluster name as config and the catalog spell them; a namespace as Kubernetes does (DNS-1123 label).
const policiesParamsSchema = z.object({ cluster: part });
const policiesQuerySchema = z.object({
  namespace: z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    .optional(),
});
const querySchema = z.object({ refresh: z.enum(['true', 'false']).optional() });
const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
const HISTORY_LIMIT = 100;
/** The most transition rows one fleet history request reads while passing over what the caller may not see. */
const HISTORY_SCAN_MAX = 10_000;
const historyLimit = (req: express.Request) =>
  parse(historyQuerySchema, req.query, 'query parameter').limit ??
  HISTORY_LIMIT;

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(
      `Invalid ${what} '${issue.path.join('.')}': ${issue.message}`,
    );
  }
  return r.data;
}

const CALLER_AUTH_PREFIX = 'backstage-kubernetes-authorization-';

/**
 * The caller's own cluster credentials, sent as the Backstage Kubernetes plugin sends them to its proxy
 * (`Backstage-Kubernetes-Authorization-<authProvider>[-<oidcTokenProvider>]`): only for clusters read as the user.
 */
function callerAuthOf(
  req: express.Request,
): Record<string, string> | undefined {
  const found = Object.entries(req.headers).filter(
    (e): e is [string, string] =>
      e[0].startsWith(CALLER_AUTH_PREFIX) && typeof e[1] === 'string',
  );
  return found.length ? Object.fromEntries(found) : undefined;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  triage: TriageService;
  history: TriageHistoryStore;
  policies: PolicyReader;
}): Promise<express.Router> {
  const { httpAuth, triage, history, policies } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/entities/:namespace/:kind/:name/report', async (req, res) => {
    const { namespace, kind, name } = parse(
      paramsSchema,
      req.params,
      'path parameter',
    );
    const { refresh } = parse(querySchema, req.query, 'query parameter');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const report = await triage.report(
      stringifyEntityRef({ kind, namespace, name }),
      {
        credentials,
        refresh: refresh === 'true',
        callerAuth: callerAuthOf(req),
      },
    );
    res.json(report);
  });

  router.get('/entities/:namespace/:kind/:name/history', async (req, res) => {
    const { namespace, kind, name } = parse(
      paramsSchema,
      req.params,
      'path parameter',
    );
    const limit = historyLimit(req);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = await triage.authorizeRead(
      stringifyEntityRef({ kind, namespace, name }),
      credentials,
    );
    const [state, transitions] = await Promise.all([
      history.state(entityRef),
      history.transitions({ entityRef, limit }),
    ]);
    res.json({ ...(state ? { state } : {}), transitions });
  });

  // Only the entities whose reports the caller may read.
  router.get('/fleet/history', async (req, res) => {
    const limit = historyLimit(req);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const states = await history.states();
    // Decisions are asked once per entity, however many of its transitions are read.
    const decided = new Map<string, boolean>();
    const decide = async (refs: string[]) => {
      const open = [...new Set(refs)].filter(r => !decided.has(r));
      const allowed = new Set(await triage.readable(open, credentials));
      for (const r of open) decided.set(r, allowed.has(r));
    };
    const canRead = (ref: string) => decided.get(ref) === true;
    await decide(states.map(s => s.entityRef));
    // `limit` counts what the caller may read: transitions of other entities are passed over, a page at a time,
    // up to a bounded number of rows read.
    const transitions: HistoryTransition[] = [];
    const page = Math.max(limit, 100);
    for (
      let offset = 0;
      transitions.length < limit && offset < HISTORY_SCAN_MAX;
      offset += page
    ) {
      const batch = await history.transitions({ limit: page, offset });
      await decide(batch.map(t => t.entityRef));
      transitions.push(...batch.filter(t => canRead(t.entityRef)));
      if (batch.length < page) break;
    }
    res.json({
      states: states.filter(s => canRead(s.entityRef)),
      transitions: transitions.slice(0, limit),
    });
  });

  // Names and sign-in kinds only (no addresses): which cluster tokens a caller's browser should send.
  router.get('/clusters', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: await triage.clusters() });
  });

  // The Kyverno policies the scaffolder's labels field evaluates in the browser, with the evaluator's fields only.
  router.get('/clusters/:cluster/kyverno-policies', async (req, res) => {
    const { cluster } = parse(
      policiesParamsSchema,
      req.params,
      'path parameter',
    );
    const { namespace } = parse(
      policiesQuerySchema,
      req.query,
      'query parameter',
    );
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await policies.policies(cluster, {
        namespace,
        credentials,
        callerAuth: callerAuthOf(req),
      }),
    );
  });

  router.get('/fleet', async (req, res) => {
    const { refresh } = parse(querySchema, req.query, 'query parameter');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await triage.fleet({
        credentials,
        refresh: refresh === 'true',
        callerAuth: callerAuthOf(req),
      }),
    );
  });

  // The summaries of the entities a page shows (a catalog table page, a group's endpoints) in one request.
  router.post('/summaries', async (req, res) => {
    const { entityRefs } = parse(summariesBodySchema, req.body, 'body');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await triage.summaries([...new Set(entityRefs)], {
        credentials,
        callerAuth: callerAuthOf(req),
      }),
    );
  });

  return router;
}
