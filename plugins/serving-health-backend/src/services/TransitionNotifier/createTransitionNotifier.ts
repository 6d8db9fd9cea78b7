import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  FAILURE_MODES,
  HistoryTransition,
} from '@serving-health/plugin-serving-health-common';
import { TriageHistoryStore } from '../../database/TriageHistoryStore';

/** The entity as the fleet triage saw it: who owns it and what to call it. */
export interface NotifiedEntity {
  entityRef: string;
  title?: string;
  owner?: string;
}

export interface TransitionNotifier {
  /** Notifies the owner of a start of failing or a recovery, once per transition across replicas. */
  notify(transition: HistoryTransition, entity: NotifiedEntity): Promise<void>;
}

/** The entity's Serving Health tab, as the app routes it. */
export function servingHealthTabPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/serving-health`;
}

const modeTitles = (ids: string[]) =>
  ids
    .map(id => FAILURE_MODES[id as keyof typeof FAILURE_MODES]?.title ?? id)
    .join('; ');

/** Title and text of the notification of a transition; undefined for transitions nobody is told about. */
export function describeTransition(
  transition: HistoryTransition,
  entity: NotifiedEntity,
): { title: string; description: string } | undefined {
  const name = entity.title ?? parseEntityRef(entity.entityRef).name;
  const where = transition.cluster ? ` on cluster ${transition.cluster}` : '';
  if (transition.kind === 'started-failing') {
    return {
      title: `${name} is failing: ${
        modeTitles(transition.added) || 'no known failure mode'
      }`,
      description: `Serving Health saw ${
        entity.entityRef
      }${where} start failing at ${transition.at}${
        transition.added.length ? ` (${transition.added.join(', ')})` : ''
      }. The tab names the cause, the evidence and the fix.`,
    };
  }
  if (transition.kind === 'recovered') {
    return {
      title: `${name} recovered${
        transition.cleared.length
          ? `: ${modeTitles(transition.cleared)} cleared`
          : ''
      }`,
      description: `Serving Health saw ${
        entity.entityRef
      }${where} leave failing (now ${transition.to}) at ${transition.at}${
        transition.cleared.length
          ? `; cleared: ${transition.cleared.join(', ')}`
          : ''
      }.`,
    };
  }
  return undefined;
}

export function createTransitionNotifier(options: {
  notifications: NotificationService;
  history: TriageHistoryStore;
  logger: LoggerService;
}): TransitionNotifier {
  const { notifications, history, logger } = options;
  return {
    async notify(transition, entity) {
      const text = describeTransition(transition, entity);
      if (!text || !entity.owner) return;
      if (!(await history.claimNotification(transition.id, new Date()))) return;
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: entity.owner },
          payload: {
            ...text,
            link: servingHealthTabPath(entity.entityRef),
            severity: transition.kind === 'started-failing' ? 'high' : 'normal',
            topic: 'serving-health',
            // One notification per entity, updated by the next transition instead of piling up.
            scope: `serving-health:${entity.entityRef}`,
          },
        });
      } catch (e) {
        logger.warn('Serving Health notification failed', {
          entityRef: entity.entityRef,
          error: toError(e).message,
        });
      }
    },
  };
}
