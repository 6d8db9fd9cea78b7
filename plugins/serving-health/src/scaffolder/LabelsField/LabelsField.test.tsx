import { fireEvent, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { LabelsField } from './LabelsField';
import { labelsFieldValidation } from '../validation';

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
  it('blocks the step on the findings serving-health:validate fails on', () => {
    const field = { addError: jest.fn() } as any;
    labelsFieldValidation({ owner: 'a', costCenter: 'b' }, field, {
      uiSchema: { 'ui:options': {} },
    } as any);
    expect(field.addError.mock.calls.map((c: any[]) => c[0])).toEqual([
      expect.stringMatching(
        /^label-near-miss: `costCenter` should be `cost-center`/,
      ),
    ]);
    const ok = { addError: jest.fn() } as any;
    labelsFieldValidation({ owner: 'a', 'cost-center': 'b' }, ok, {} as any);
    expect(ok.addError).not.toHaveBeenCalled();
  });
});
