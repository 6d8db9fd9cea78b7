import { fireEvent, screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { LabelsField } from './LabelsField';
import { labelsFieldValidation } from '../validation';
import { servingHealthApiRef } from '../../api';
import { mockServingHealthApi } from '../../__testUtils__/mockServingHealthApi';
import { kyvernoPolicies } from '../../__fixtures__/kyvernoPolicies';

function renderField(
  formData: Record<string, string> | undefined,
  options = {},
) {
  const onChange = jest.fn();
  const props: any = {
    formData,
    onChange,
    uiSchema: { 'ui:options': options },
    schema: { title: 'Labels', type: 'object' },
    idSchema: { $id: 'root_labels' },
    rawErrors: [],
    required: true,
  };
  return renderInTestApp(<LabelsField {...props} />).then(() => ({ onChange }));
}

const keyInput = (n: number) =>
  screen.getByLabelText(`label key ${n}`) as HTMLInputElement;
const valueInput = (n: number) =>
  screen.getByLabelText(`label value ${n}`) as HTMLInputElement;

describe('LabelsField', () => {
  it('starts with a row for each required key', async () => {
    await renderField(undefined);
    expect(keyInput(1).value).toBe('owner');
    expect(keyInput(2).value).toBe('cost-center');
    expect(
      screen.getAllByText('required label `owner` has an empty value'),
    ).toHaveLength(1);
  });

  it('names a near miss as it is typed and offers the conventional key', async () => {
    const { onChange } = await renderField(
      { owner: 'team-risk' },
      { requiredLabels: ['owner', 'cost-center'] },
    );
    // rows: owner, cost-center (added empty); retype the second key as the legacy template did
    fireEvent.change(keyInput(2), { target: { value: 'costCenter' } });
    fireEvent.change(valueInput(2), { target: { value: 'cc-1042' } });
    expect(
      screen.getByText(/^`costCenter` should be `cost-center`/),
    ).toBeInTheDocument();
    expect(onChange).toHaveBeenLastCalledWith({
      owner: 'team-risk',
      costCenter: 'cc-1042',
    });

    fireEvent.click(screen.getByRole('button', { name: 'Use cost-center' }));
    expect(keyInput(2).value).toBe('cost-center');
    expect(
      screen.queryByText(/should be `cost-center`/),
    ).not.toBeInTheDocument();
    expect(onChange).toHaveBeenLastCalledWith({
      owner: 'team-risk',
      'cost-center': 'cc-1042',
    });
  });

  it('shows the API server message for an invalid value and key', async () => {
    await renderField({ owner: 'a', 'cost-center': 'b' });
    fireEvent.change(valueInput(2), { target: { value: 'cc 1042' } });
    expect(
      screen.getByText(
        /^metadata\.labels: Invalid value: "cc 1042": a valid label must be an empty string/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Add label' }));
    fireEvent.change(keyInput(3), { target: { value: 'Example.com/tier' } });
    expect(
      screen.getByText(
        /Invalid value: "Example.com\/tier": prefix part a lowercase RFC 1123 subdomain/,
      ),
    ).toBeInTheDocument();
  });

  it('notes reserved prefixes, flags duplicates, and reports a removed required key', async () => {
    const { onChange } = await renderField({ owner: 'a', 'cost-center': 'b' });
    fireEvent.click(screen.getByRole('button', { name: 'Add label' }));
    fireEvent.change(keyInput(3), { target: { value: 'kubernetes.io/arch' } });
    expect(
      screen.getByText(/reserved for Kubernetes core components/),
    ).toBeInTheDocument();
    fireEvent.change(keyInput(3), { target: { value: 'owner' } });
    expect(screen.getByText('duplicate key `owner`')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'remove label 2' }));
    expect(
      screen.getByText('required label `cost-center` is missing'),
    ).toBeInTheDocument();
    expect(onChange).toHaveBeenLastCalledWith({ owner: 'a' });
  });

  it('follows the key style of ui:options', async () => {
    await renderField(
      { team: 'a' },
      { requiredLabels: ['team'], keyStyle: 'snake_case' },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add label' }));
    fireEvent.change(keyInput(2), { target: { value: 'model-format' } });
    expect(
      screen.getByText(
        'label key `model-format` is not snake_case: use `model_format`',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Use model_format' }),
    ).toBeInTheDocument();
  });
});

describe('labelsFieldValidation', () => {
  it('blocks the step on the findings serving-health:validate fails on', async () => {
    const field = { addError: jest.fn() } as any;
    await labelsFieldValidation({ owner: 'a', costCenter: 'b' }, field, {
      uiSchema: { 'ui:options': {} },
    } as any);
    expect(field.addError.mock.calls.map((c: any[]) => c[0])).toEqual([
      expect.stringMatching(
        /^label-near-miss: `costCenter` should be `cost-center`/,
      ),
    ]);
    const ok = { addError: jest.fn() } as any;
    await labelsFieldValidation(
      { owner: 'a', 'cost-center': 'b' },
      ok,
      {} as any,
    );
    expect(ok.addError).not.toHaveBeenCalled();
  });
});

const KYVERNO = {
  cluster: 'policies-demo',
  namespace: 'models-pricing',
  labelsFrom: { owner: 'owner' },
};
const PII_DENIAL =
  /resource InferenceService\/models-pricing\/new was blocked due to the following policies\s+require-pii-review:\s+check-pii-review: 'Record the PII review: label pii-reviewed must be "true"\.'/;

async function renderWithKyverno(
  api: ReturnType<typeof mockServingHealthApi>,
  formData: Record<string, string>,
) {
  const props: any = {
    formData,
    onChange: jest.fn(),
    uiSchema: { 'ui:options': { requiredLabels: [], kyverno: KYVERNO } },
    schema: { title: 'Labels', type: 'object' },
    idSchema: { $id: 'root_extraLabels' },
    rawErrors: [],
    // The template's owner field: labelsFrom puts it on the resource.
    formContext: { formData: { owner: 'team-risk' } },
  };
  await renderInTestApp(
    <TestApiProvider apis={[[servingHealthApiRef, api]]}>
      <LabelsField {...props} />
    </TestApiProvider>,
  );
}

describe('LabelsField with ui:options.kyverno', () => {
  it("evaluates the cluster's policies in the browser as labels are typed: pattern, deny, foreach and CEL rules", async () => {
    const api = mockServingHealthApi({
      getKyvernoPolicies: async () => kyvernoPolicies,
    });
    await renderWithKyverno(api, { 'cost-center': 'cc-1042' });
    expect(api.getKyvernoPolicies).toHaveBeenCalledWith('policies-demo', {
      namespace: 'models-pricing',
    });

    // deny (JMESPath): no pii-reviewed label, Kyverno's admission message.
    expect(await screen.findByText(PII_DENIAL)).toBeInTheDocument();
    expect(
      screen.getByText(
        'Kyverno on policies-demo would deny this InferenceService (Enforce)',
      ),
    ).toBeInTheDocument();
    // A rule that reads the cluster is listed, never passed.
    expect(
      screen.getByText(
        /^known-teams\/owner-is-a-team: .*calls the Kubernetes API/,
      ),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Add label' }));
    fireEvent.change(keyInput(2), { target: { value: 'pii-reviewed' } });
    fireEvent.change(valueInput(2), { target: { value: 'false' } });
    expect(screen.getByText(PII_DENIAL)).toBeInTheDocument();
    fireEvent.change(valueInput(2), { target: { value: 'true' } });
    expect(screen.queryByText(PII_DENIAL)).not.toBeInTheDocument();
    expect(screen.getByText(/none denies these labels/)).toBeInTheDocument();

    // CEL (validate.cel): the cost-center format.
    fireEvent.change(valueInput(1), { target: { value: '1042' } });
    expect(
      screen.getByText(
        /cost-center-format:\s+check-cost-center-format: 'cost-center must start with cc-'/,
      ),
    ).toBeInTheDocument();
    fireEvent.change(valueInput(1), { target: { value: 'cc-1042' } });
    expect(
      screen.queryByText(/cost-center must start with cc-/),
    ).not.toBeInTheDocument();

    // foreach over the label values, Audit: a warning, not a denial.
    fireEvent.click(screen.getByRole('button', { name: 'Add label' }));
    fireEvent.change(keyInput(3), { target: { value: 'model-version' } });
    fireEvent.change(valueInput(3), { target: { value: 'latest' } });
    expect(
      screen.getByText(/Audit, not denied.*no-latest-labels\/no-latest-value/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/would deny this InferenceService/),
    ).not.toBeInTheDocument();

    // require-labels (pattern): owner comes from the owner field; without cost-center the rule denies.
    fireEvent.click(screen.getByRole('button', { name: 'remove label 1' }));
    expect(
      screen.getByText(
        /require-labels:\s+check-for-labels: 'validation error: The labels `owner` and `cost-center` are required\./,
      ),
    ).toBeInTheDocument();
    expect(api.getKyvernoPolicies).toHaveBeenCalledTimes(1);
  });

  it('says so when the user may not read the policies', async () => {
    await renderWithKyverno(
      mockServingHealthApi({
        // What ServingHealthClient throws for the backend's 403 NotAllowedError.
        getKyvernoPolicies: async () => {
          throw await ResponseError.fromResponse(
            new Response(
              JSON.stringify({
                error: {
                  name: 'NotAllowedError',
                  message:
                    "Not allowed to read the Kyverno policies of cluster 'policies-demo'",
                },
                response: { statusCode: 403 },
              }),
              {
                status: 403,
                statusText: 'Forbidden',
                headers: { 'Content-Type': 'application/json' },
              },
            ),
          );
        },
      }),
      {},
    );
    expect(
      await screen.findByText(
        /You may not read the Kyverno policies of cluster policies-demo \(permission servingHealth\.policies\.read\)/,
      ),
    ).toBeInTheDocument();
  });

  it('names the load error', async () => {
    await renderWithKyverno(
      mockServingHealthApi({
        getKyvernoPolicies: async () => {
          throw new Error("Cluster 'policies-demo' is not configured");
        },
      }),
      {},
    );
    expect(
      await screen.findByText(
        "The Kyverno policies of cluster policies-demo could not be loaded: Cluster 'policies-demo' is not configured",
      ),
    ).toBeInTheDocument();
  });
});

describe('labelsFieldValidation with ui:options.kyverno', () => {
  const context = (api: ReturnType<typeof mockServingHealthApi>) =>
    ({
      uiSchema: { 'ui:options': { requiredLabels: [], kyverno: KYVERNO } },
      formData: { owner: 'team-risk' },
      apiHolder: {
        get: (ref: { id: string }) =>
          ref.id === servingHealthApiRef.id ? api : undefined,
      },
    } as any);

  it('blocks the step on Enforce denials with Kyverno message, not on Audit ones', async () => {
    const api = mockServingHealthApi({
      getKyvernoPolicies: async () => kyvernoPolicies,
    });
    const denied = { addError: jest.fn() } as any;
    await labelsFieldValidation(
      { 'cost-center': 'cc-1042' },
      denied,
      context(api),
    );
    expect(denied.addError.mock.calls).toEqual([
      [expect.stringMatching(PII_DENIAL)],
    ]);
    const audited = { addError: jest.fn() } as any;
    await labelsFieldValidation(
      { 'cost-center': 'cc-1042', 'pii-reviewed': 'true', tag: 'latest' },
      audited,
      context(api),
    );
    expect(audited.addError).not.toHaveBeenCalled();
    expect(api.getKyvernoPolicies).toHaveBeenCalledTimes(1);
  });

  it('does not block when the policies cannot be loaded (the validate step reads them again)', async () => {
    const field = { addError: jest.fn() } as any;
    await labelsFieldValidation(
      { 'cost-center': 'cc-1042' },
      field,
      context(
        mockServingHealthApi({
          getKyvernoPolicies: async () => {
            throw new Error('503');
          },
        }),
      ),
    );
    expect(field.addError).not.toHaveBeenCalled();
  });
});
