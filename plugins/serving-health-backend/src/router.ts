import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { TriageService } from './services/TriageService';

// Entity ref parts as the catalog accepts them; anything else is a 400, not a lookup.
const part = z.string().min(1).max(253).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const paramsSchema = z.object({ namespace: part, kind: part, name: part });
const querySchema = z.object({ refresh: z.enum(['true', 'false']).optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`Invalid ${what} '${issue.path.join('.')}': ${issue.message}`);
  }
  return r.data;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  triage: TriageService;
}): Promise<express.Router> {
  const { httpAuth, triage } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/entities/:namespace/:kind/:name/report', async (req, res) => {
    const { namespace, kind, name } = parse(paramsSchema, req.params, 'path parameter');
    const { refresh } = parse(querySchema, req.query, 'query parameter');
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const report = await triage.report(
      stringifyEntityRef({ kind, namespace, name }),
      { credentials, refresh: refresh === 'true' },
    );
    res.json(report);
  });

  router.get('/fleet', async (req, res) => {
    const { refresh } = parse(querySchema, req.query, 'query parameter');
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await triage.fleet({ credentials, refresh: refresh === 'true' }));
  });

  return router;
}
