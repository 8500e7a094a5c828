// What the workload kinds (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job) share:
// selector + pod template validation and defaults, replica and history limits,
// status handling, the scale subresource and the wide table columns.
import type { FieldError, ScaleSubresource } from '../registry/types';
import { labelSelectorToString, matchesLabelSelector, regexMessage } from '../../../shared/labels';
import { Path, forbidden, invalid, required } from './fieldErrors';
import { defaultPodSpec } from './podDefaults';
import { validatePodSpec } from './podValidation';
import type { PodTemplateSpec, Workload, WorkloadSpec } from './types';
import {
  immutable,
  isEmptySelector,
  nonNegative,
  validateAnnotations,
  validateLabelSelector,
  validateLabels,
} from './validation';
import { keepStatus, resetStatus } from './defineKind';
import { containerCells } from './table';

/** replicasScale is the scale subresource of kinds with spec.replicas and a label selector. */
export const replicasScale: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  // A metav1.LabelSelector: render it with labelSelectorToString for Scale.status.selector.
  labelSelectorPath: '.spec.selector',
};

/** defaultTemplate fills the pod template's spec defaults. */
export function defaultTemplate(template: PodTemplateSpec | undefined): void {
  if (template?.spec) defaultPodSpec(template.spec);
}

/** TemplateRules tunes selector and template validation per kind. */
export interface TemplateRules {
  /** Lower-case kind name used in messages, e.g. "deployment". */
  noun: string;
  /** Restart policies the kind allows in its template. */
  restartPolicies: string[];
  /** Whether an absent selector is an error (not for Jobs, which generate one). */
  selectorRequired?: boolean;
  /** Volume names provided outside the template (StatefulSet claim templates). */
  extraVolumes?: string[];
}

/** validateSelectorAndTemplate checks spec.selector, spec.template and that the selector matches the template labels. */
export function validateSelectorAndTemplate(spec: WorkloadSpec | undefined, rules: TemplateRules): FieldError[] {
  const path = new Path('spec');
  const errs: FieldError[] = [];
  const selector = spec?.selector;
  const templatePath = path.child('template');
  const template = spec?.template;
  if (!selector) {
    if (rules.selectorRequired !== false) errs.push(required(path.child('selector')));
  } else {
    errs.push(...validateLabelSelector(selector, path.child('selector')));
    if (isEmptySelector(selector))
      errs.push(invalid(path.child('selector'), selector, `empty selector is invalid for ${rules.noun}`));
  }
  if (!template) {
    errs.push(required(templatePath));
    return errs;
  }
  const labels = template.metadata?.labels ?? {};
  errs.push(...validateLabels(template.metadata?.labels, templatePath.child('metadata', 'labels')));
  errs.push(...validateAnnotations(template.metadata?.annotations, templatePath.child('metadata', 'annotations')));
  if (selector && !isEmptySelector(selector)) {
    let matches = false;
    try {
      matches = matchesLabelSelector(selector, labels);
    } catch {
      // An unparsable selector is already reported above.
      matches = true;
    }
    if (!matches) {
      errs.push(
        invalid(templatePath.child('metadata', 'labels'), labels, '`selector` does not match template `labels`'),
      );
    }
  }
  errs.push(
    ...validatePodSpec(template.spec, templatePath.child('spec'), {
      restartPolicies: rules.restartPolicies,
      extraVolumes: rules.extraVolumes,
    }),
  );
  return errs;
}

/** validateCounts checks the non-negative integer fields common to workloads. */
export function validateCounts(spec: WorkloadSpec | undefined, fields: string[]): FieldError[] {
  const path = new Path('spec');
  const errs: FieldError[] = [];
  for (const f of fields) errs.push(...nonNegative(spec?.[f], path.child(f)));
  return errs;
}

/** selectorImmutable reports a changed spec.selector on update. */
export function selectorImmutable(spec: WorkloadSpec | undefined, old: WorkloadSpec | undefined): FieldError[] {
  return immutable(spec?.selector, old?.selector, 'spec.selector');
}

const percentRe = /^[0-9]+%$/;

/** validateIntOrPercent checks a maxSurge/maxUnavailable value: a non-negative integer or a percentage up to 100%. */
export function validateIntOrPercent(value: unknown, path: Path): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'number') return nonNegative(value, path);
  if (typeof value !== 'string' || !percentRe.test(value)) {
    return [
      invalid(
        path,
        value,
        regexMessage(
          "a valid percent string must be a numeric string followed by an ending '%'",
          '[0-9]+%',
          '1%',
          '93%',
        ),
      ),
    ];
  }
  if (Number(value.slice(0, -1)) > 100) return [invalid(path, value, 'must not be greater than 100%')];
  return [];
}

/** isZeroIntOrPercent tells whether a maxSurge/maxUnavailable value means zero. */
export function isZeroIntOrPercent(value: unknown): boolean {
  return value === 0 || value === '0%' || value === '0';
}

/** rollingUpdateForbidden reports a rollingUpdate block next to a non-rolling strategy type. */
export function rollingUpdateForbidden(type: string, path: Path): FieldError {
  return forbidden(path, `may not be specified when strategy \`type\` is '${type}'`);
}

/** workloadPrepare is the create/update preparation of workloads: empty status on create, stored status on update. */
export const workloadPrepare = {
  prepareForCreate(obj: Workload): void {
    resetStatus(obj, {});
  },
  prepareForUpdate(obj: Workload, old: Workload): void {
    keepStatus(obj, old);
  },
};

/** specOf is the generation source of workloads: changes to spec bump metadata.generation. */
export function specOf(obj: Workload): unknown {
  return obj.spec;
}

/** wideCells renders the CONTAINERS, IMAGES and SELECTOR cells of a workload row. */
export function wideCells(obj: Workload, withSelector = true): string[] {
  const [names, images] = containerCells(obj.spec?.template?.spec?.containers);
  if (!withSelector) return [names, images];
  return [names, images, selectorCell(obj)];
}

/** selectorCell renders a label selector for a table, '<none>' when it selects everything. */
export function selectorCell(obj: Workload): string {
  try {
    return labelSelectorToString(obj.spec?.selector) || '<none>';
  } catch {
    return '<invalid>';
  }
}

/** statusNumber reads an integer status field, 0 when absent. */
export function statusNumber(obj: Workload, field: string): number {
  const v = obj.status?.[field];
  return typeof v === 'number' ? v : 0;
}
