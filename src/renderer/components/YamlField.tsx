// A text area for one Kubernetes object in YAML, checked as people type: YAML syntax
// and the object's shape here, everything else by the API server when it is sent.
import { useTranslation } from 'react-i18next';
import type { YamlProblem } from '../api/objectYaml';

/** yamlProblemText words a YAML problem in the UI language. */
export function yamlProblemText(translate: ReturnType<typeof useTranslation>['t'], problem: YamlProblem): string {
  // With this many strings the typed t() overloads exceed the compiler's depth limit; the keys are checked by the i18n tests.
  const t = translate as unknown as (key: string, options?: Record<string, string>) => string;
  switch (problem.code) {
    case 'syntax':
      return t('yaml.problem.syntax', { detail: problem.detail });
    case 'unknownKind':
      return t('yaml.problem.unknownKind', { kind: problem.kind, apiVersion: problem.apiVersion });
    case 'wrongKind':
      return t('yaml.problem.wrongKind', { kind: problem.kind, expected: problem.expected });
    default:
      return t(`yaml.problem.${problem.code}`);
  }
}

/** YamlField edits YAML text and shows what is wrong with it. */
export function YamlField({
  value,
  onChange,
  problem,
  label,
  testId,
}: {
  value: string;
  onChange(text: string): void;
  problem?: YamlProblem;
  label: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor="yaml-field">{label}</label>
      <textarea
        id="yaml-field"
        className={problem && problem.code !== 'empty' ? 'input yaml-input invalid' : 'input yaml-input'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        rows={18}
        aria-invalid={problem && problem.code !== 'empty' ? true : undefined}
        aria-describedby="yaml-field-problem"
        data-testid={testId}
      />
      {problem && problem.code !== 'empty' && (
        <p id="yaml-field-problem" className="field-help invalid" role="alert" data-testid={testId ? `${testId}-problem` : undefined}>
          {yamlProblemText(t, problem)}
        </p>
      )}
    </div>
  );
}
