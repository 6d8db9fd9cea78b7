import { kserveController } from './kserveController';
import {
  commands,
  evidenceFields,
  evidenceLines,
  runCheck,
} from './__fixtures__/context';
import {
  KSERVE_DEPLOYMENT,
  KSERVE_POD,
  PULL_403_MESSAGE,
  RBAC_PROXY_IMAGE,
  forbidden,
  healthySnapshot,
  itemsOf,
  timeout,
  withKServeRolloutStuck,
  withKServeSidecarPullForbidden,
  withReadError,
} from './__fixtures__/snapshots';

describe('kserve.controller', () => {
  it('passes when the Deployment is Available and its pod has both containers ready', () => {
    const out = runCheck(kserveController, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(`${KSERVE_DEPLOYMENT} is available (1/1 ready).`);
    expect(evidenceFields(out)).toMatchObject({
      ready: '2/2',
      'status.conditions[Ready].status': 'True',
    });
  });

  it("fails when a container cannot pull its image, naming the container, the reason and the registry's 403", () => {
    const out = runCheck(
      kserveController,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('not available (0/1 ready)');
    expect(out.summary).toContain(
      `container kube-rbac-proxy of pod ${KSERVE_POD} is ImagePullBackOff`,
    );
    expect(out.summary).toContain('403 Forbidden');
  });

  it('does not set a failure mode itself (the webhook check names webhook-no-endpoints)', () => {
    const out = runCheck(
      kserveController,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    expect(out.failureMode).toBeUndefined();
  });

  it('carries the Warning Event with the verbatim 403 Forbidden message, not the Normal back-off event', () => {
    const out = runCheck(
      kserveController,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    expect(evidenceLines(out)).toEqual([PULL_403_MESSAGE]);
    expect(out.evidence).toContainEqual({
      object: { kind: 'Pod', namespace: 'kserve', name: KSERVE_POD },
      label: 'Event (container kube-rbac-proxy)',
      lines: [PULL_403_MESSAGE],
    });
  });

  it('shows the pod as 1/2 ready with the waiting state of the sidecar as read', () => {
    const out = runCheck(
      kserveController,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    const pod = out.evidence.find(e => e.label === 'Controller pod');
    expect(pod?.fields).toEqual({
      ready: '1/2',
      'status.conditions[Ready].status': 'False',
      'containerStatuses[kube-rbac-proxy].state.waiting': JSON.stringify({
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${RBAC_PROXY_IMAGE}"`,
      }),
    });
    expect(evidenceFields(out)).toMatchObject({
      'status.readyReplicas': '0/1',
      'status.conditions[Available].status': 'False',
      'status.conditions[Available].message':
        'Deployment does not have minimum availability.',
    });
  });

  it('gives set-image and rollout commands with the real namespace, deployment, container and image', () => {
    const out = runCheck(
      kserveController,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    expect(commands(out)).toEqual([
      'kubectl -n kserve set image deployment/kserve-controller-manager kube-rbac-proxy=<reachable-registry>/kube-rbac-proxy:v0.13.1',
      'kubectl -n kserve rollout status deployment/kserve-controller-manager',
    ]);
    expect(out.remediation?.steps[0].text).toContain(RBAC_PROXY_IMAGE);
  });

  it('says which KServe releases ship the kubebuilder kube-rbac-proxy image and what 0.14+ ships instead', () => {
    const out = runCheck(
      kserveController,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    expect(out.remediation?.steps.map(s => s.text)).toContainEqual(
      expect.stringContaining(
        'KServe 0.14 and later use quay.io/brancz/kube-rbac-proxy',
      ),
    );
  });

  it('warns when the Deployment is still Available but a new pod is stuck pulling', () => {
    const out = runCheck(
      kserveController,
      withKServeRolloutStuck(healthySnapshot()),
    );
    expect(out.status).toBe('warn');
    expect(out.summary).toContain('available but degraded');
    expect(out.summary).toContain('ErrImagePull');
  });

  describe('pods that no longer count', () => {
    // A Ready pod plus one more that looks broken; the extra one must not make the controller fail or warn.
    function withExtraPod(fn: (pod: any) => void) {
      const s = withKServeRolloutStuck(healthySnapshot());
      fn(
        itemsOf(s, 'controlPlanePods').find(
          p => p.metadata.name === 'kserve-controller-manager-5f8d7c9b4-mm2lp',
        ),
      );
      return s;
    }

    it('passes with a Failed pod next to the Ready one', () => {
      const out = runCheck(
        kserveController,
        withExtraPod(p => {
          p.status.phase = 'Failed';
        }),
      );
      expect(out.status).toBe('pass');
      expect(
        out.evidence.find(e => e.label === 'Controller pod (not counted)')
          ?.fields,
      ).toMatchObject({ 'not counted': 'phase Failed' });
    });

    it('passes with a Succeeded pod next to the Ready one', () => {
      expect(
        runCheck(
          kserveController,
          withExtraPod(p => {
            p.status.phase = 'Succeeded';
          }),
        ).status,
      ).toBe('pass');
    });

    it('passes with a terminating pod next to the Ready one', () => {
      const out = runCheck(
        kserveController,
        withExtraPod(p => {
          p.metadata.deletionTimestamp = '2025-11-24T09:29:00Z';
        }),
      );
      expect(out.status).toBe('pass');
      expect(evidenceFields(out)['not counted']).toBe(
        'terminating since 2025-11-24T09:29:00Z',
      );
    });

    it("passes with an old ReplicaSet's pod when the Deployment's Progressing condition names the current one", () => {
      const s = withExtraPod(() => undefined);
      const deploy = itemsOf(s, 'controlPlaneDeployments').find(
        d => d.metadata.name === KSERVE_DEPLOYMENT,
      )!;
      deploy.status.conditions[1].message = `ReplicaSet "${KSERVE_DEPLOYMENT}-7d9c5b8f6" has successfully progressed.`;
      const out = runCheck(kserveController, s);
      expect(out.status).toBe('pass');
      expect(evidenceFields(out)['not counted']).toBe(
        'old ReplicaSet (pod-template-hash 5f8d7c9b4, current 7d9c5b8f6)',
      );
    });

    it('passes with an older pod of another template when a newer Ready pod replaced it', () => {
      const s = withExtraPod(p => {
        p.metadata.creationTimestamp = '2025-11-20T07:00:00Z';
      });
      itemsOf(s, 'controlPlanePods').find(
        p => p.metadata.name === KSERVE_POD,
      )!.metadata.creationTimestamp = '2025-11-20T08:00:00Z';
      expect(runCheck(kserveController, s).status).toBe('pass');
    });

    it('still warns when the stuck pod is the newer one (a rollout that cannot finish)', () => {
      const s = withExtraPod(p => {
        p.metadata.creationTimestamp = '2025-11-24T09:00:00Z';
      });
      itemsOf(s, 'controlPlanePods').find(
        p => p.metadata.name === KSERVE_POD,
      )!.metadata.creationTimestamp = '2025-11-20T08:00:00Z';
      expect(runCheck(kserveController, s).status).toBe('warn');
    });

    it("still warns when the stuck pod is the Deployment's current template", () => {
      const s = withExtraPod(() => undefined);
      const deploy = itemsOf(s, 'controlPlaneDeployments').find(
        d => d.metadata.name === KSERVE_DEPLOYMENT,
      )!;
      deploy.status.conditions[1].message = `ReplicaSet "${KSERVE_DEPLOYMENT}-5f8d7c9b4" is progressing.`;
      expect(runCheck(kserveController, s).status).toBe('warn');
    });
  });

  it('fails when the Deployment does not exist, telling where it looked', () => {
    const s = healthySnapshot();
    const deployments = itemsOf(s, 'controlPlaneDeployments');
    deployments.splice(
      deployments.findIndex(d => d.metadata.name === KSERVE_DEPLOYMENT),
      1,
    );
    const out = runCheck(kserveController, s);
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'Deployment kserve/kserve-controller-manager does not exist: KServe is not installed in namespace kserve.',
    );
    expect(out.evidence[0].fields).toEqual({ exists: 'false' });
  });

  it('fails with "no controller pod is Ready" when the Deployment is unavailable and no pod exists', () => {
    const s = healthySnapshot();
    itemsOf(s, 'controlPlanePods').splice(0, 1);
    const deploy = itemsOf(s, 'controlPlaneDeployments')[0];
    deploy.status.conditions[0].status = 'False';
    const out = runCheck(kserveController, s);
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('no controller pod is Ready');
    expect(commands(out)).toEqual([
      'kubectl -n kserve describe pods -l control-plane=kserve-controller-manager',
    ]);
  });

  it('is an error naming the apps RBAC rule when listing deployments is forbidden', () => {
    const out = runCheck(
      kserveController,
      withReadError(
        healthySnapshot(),
        'controlPlaneDeployments',
        forbidden('deployments', 'apps', 'kserve'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain(
      '{apiGroups: ["apps"], resources: ["deployments"], verbs: ["list"]}',
    );
  });

  it('is an error when listing pods times out', () => {
    const out = runCheck(
      kserveController,
      withReadError(
        healthySnapshot(),
        'controlPlanePods',
        timeout('list pods -n kserve'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain("'list pods -n kserve'");
  });

  it('still judges the pods when events are unreadable (events only explain)', () => {
    const s = withReadError(
      withKServeSidecarPullForbidden(healthySnapshot()),
      'controlPlaneEvents',
      forbidden('events', '', 'kserve'),
    );
    const out = runCheck(kserveController, s);
    expect(out.status).toBe('fail');
    expect(out.summary).toContain(
      `Back-off pulling image "${RBAC_PROXY_IMAGE}"`,
    );
  });
});
