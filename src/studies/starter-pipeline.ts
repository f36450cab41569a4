/**
 * The pipeline `runr study init` writes: the document's build order from `sample` on (spec and
 * extend build the study's base specs once, by hand), run per variant, with the document's stage
 * gates as checks. It calls `extropy` from PATH: the real tool or the stand-in in examples/extropy.
 */
export const STARTER_PIPELINE = `# Stage pipeline of this study (runr batch run). Each stage runs once per variant, in dependency
# order; a stage is skipped while its deps, command, params and seed are unchanged.
# Templates: {study} {batch} {variant} {seed} {specs} {inputs} {results} {variant_dir}
# {base.<key>} (manifest base_paths) and every param below (variant overrides replace them).
params:
  threshold: 3
  chunk_size: 50
  agents: 200

stages:
  sample:
    cmd: [extropy, sample, "{base.population_spec}", -o, "{inputs}/agents.json", -n, "{agents}"]
    deps: ["{base.population_spec}"]
    outs: ["{inputs}/agents.json"]
    params: [agents]
    seed: true
    checks:
      - {type: json_valid, target: "{inputs}/agents.json", severity: fail}
      - {type: count_equals, target: "{inputs}/agents.json", json_path: agents, expected: "{agents}", severity: fail, description: requested count = generated count}

  network:
    cmd: [extropy, network, "{inputs}/agents.json", -p, "{base.population_spec}", -c, "{base.network_config}", -o, "{inputs}/network.json"]
    deps: ["{inputs}/agents.json", "{base.population_spec}", "{base.network_config}"]
    outs: ["{inputs}/network.json"]
    seed: true
    checks:
      - {type: json_valid, target: "{inputs}/network.json", severity: fail}
      - {type: command, argv: [extropy, validate, "{inputs}/network.json"], severity: fail, description: no orphan edge endpoints}

  persona:
    cmd: [extropy, persona, "{base.population_spec}", -a, "{inputs}/agents.json", -o, "{inputs}/population.persona.yaml", -y]
    deps: ["{base.population_spec}", "{inputs}/agents.json"]
    outs: ["{inputs}/population.persona.yaml"]
    checks:
      - {type: non_empty, target: "{inputs}/population.persona.yaml", severity: fail}

  scenario:
    cmd: [extropy, scenario, -p, "{base.population_spec}", -a, "{inputs}/agents.json", -n, "{inputs}/network.json", -d, "{base.scenario_spec}", -o, "{inputs}/scenario.yaml", -y]
    deps: ["{base.population_spec}", "{inputs}/agents.json", "{inputs}/network.json", "{base.scenario_spec}"]
    outs: ["{inputs}/scenario.yaml"]
    checks:
      - {type: command, argv: [extropy, validate, "{inputs}/scenario.yaml"], severity: fail, description: scenario is valid}

  estimate:
    cmd: [extropy, --json, estimate, "{inputs}/scenario.yaml"]
    deps: ["{inputs}/scenario.yaml"]
    stdout: "{inputs}/estimate.json"
    outs: ["{inputs}/estimate.json"]
    checks:
      - {type: json_valid, target: "{inputs}/estimate.json", severity: warn}

  simulate:
    cmd: [extropy, simulate, "{inputs}/scenario.yaml", -o, "{results}", -t, "{threshold}", --chunk-size, "{chunk_size}"]
    deps: ["{inputs}/scenario.yaml", "{inputs}/population.persona.yaml", "{inputs}/estimate.json"]
    outs: ["{results}/meta.json", "{results}/by_timestep.json", "{results}/outcome_distributions.json", "{results}/agent_states.json", "{results}/timeline.jsonl"]
    params: [threshold, chunk_size]
    seed: true
    timeout_s: 3600
    checks:
      - {type: file_exists, target: "{results}/meta.json", severity: fail}
      - {type: file_exists, target: "{results}/by_timestep.json", severity: fail}
      - {type: file_exists, target: "{results}/outcome_distributions.json", severity: fail}
      - {type: file_exists, target: "{results}/agent_states.json", severity: fail}
      - {type: contains_text, target: "{results}/meta.json", text: stop_reason, severity: fail, description: a stop reason is recorded}
      - {type: regex_match, target: "{results}/meta.json", pattern: '"stop_reason": "completed"', severity: warn, description: ran to the last timestep}
    metrics:
      adoption_rate: {file: "{results}/outcome_distributions.json", key: adoption_rate, better: higher}
      rejection_rate: {file: "{results}/outcome_distributions.json", key: rejection_rate, better: lower}

  results:
    cmd: [extropy, --json, results, "{results}"]
    deps: ["{results}/meta.json", "{results}/outcome_distributions.json", "{results}/agent_states.json"]
    stdout: "{variant_dir}/summary.json"
    outs: ["{variant_dir}/summary.json"]
    checks:
      - {type: json_valid, target: "{variant_dir}/summary.json", severity: fail}
`;
