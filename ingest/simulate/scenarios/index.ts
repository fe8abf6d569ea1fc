/** The built-in scenarios, by name, and their compiled form (with the noise populations). */
import { type CompiledScenario, compileScenario } from '../model';
import { noisePopulations } from '../noise';
import type { Scenario } from '../scenario-types';
import { SCENARIO_2020_Q3 } from './2020-q3';

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  [SCENARIO_2020_Q3.name]: SCENARIO_2020_Q3,
};

export function scenarioByName(name: string): Scenario {
  const s = SCENARIOS[name];
  if (!s) {
    throw new Error(`unknown scenario '${name}' (known: ${Object.keys(SCENARIOS).join(', ')})`);
  }
  return s;
}

/** The scenario's populations plus its generated long tail, compiled to per-day arrays. */
export function compileFull(scenario: Scenario): CompiledScenario {
  const noise = scenario.noise
    ? noisePopulations(scenario.noise, scenario.start, scenario.end)
    : [];
  return compileScenario(scenario, noise);
}
