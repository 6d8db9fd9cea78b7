import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  FAILURE_MODE_IDS,
  FailureModeId,
  TRIAGE_STAGES,
  TriageStage,
} from '@serving-health/plugin-serving-health-common';
import { servingHealthTranslationRef } from '../translation';

/**
 * The translated names of triage stages and failure modes. Reports carry ids; -common's English titles
 * are the message set's defaults.
 */
export function useServingHealthLabels() {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  return {
    /** The stage numbered as in the manual triage (`4. Webhook availability`). */
    stageTitle(stage: TriageStage | undefined): string | undefined {
      if (!stage) {
        return undefined;
      }
      const found = TRIAGE_STAGES.find(s => s.id === stage);
      return found
        ? t('stages.numbered', {
            order: String(found.order),
            title: t(`stages.${found.id}`),
          })
        : stage;
    },
    /** A failure mode's title; an id this version does not know is shown as it is. */
    failureModeTitle(id: string): string {
      return (FAILURE_MODE_IDS as string[]).includes(id)
        ? t(`failureModes.${id as FailureModeId}`)
        : id;
    },
  };
}
