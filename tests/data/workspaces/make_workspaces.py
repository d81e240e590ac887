#!/usr/bin/env python3
"""Writes the golden fit problems (../shared/golden/fit/*.json) as pyhf workspaces (schema 1.0.0).

Stat-only cases: nu = mu*S + B  ->  signal sample S with normfactor "mu", background sample B.
Case 3: nu = mu*S*(1 + a(alpha-1)) + B*(1 + b(alpha-1)), constraint (alpha-1)^2/(2 sigma^2).
  Reparametrise alpha = 1 + sigma*theta: constraint theta^2/2 (pyhf's unit Gaussian of a histosys) and
  nu = mu*(S + theta*sigma*a*S) + (B + theta*sigma*b*B), linear in theta. As a histosys "theta" with
  hi_data = X*(1 + sigma*c), lo_data = X*(1 - sigma*c) (X = S, c = a or X = B, c = b), both code 0 and code 4p
  (symmetric shifts: the polynomial's A term vanishes) reproduce this exactly. Back: alpha = 1 + sigma*theta.
Usage: make_workspaces.py GOLDEN_FIT_DIR OUTPUT_DIR
"""
import json
import sys
from pathlib import Path


def workspace(samples, observed, parameters):
    return {
        "channels": [{"name": "bins", "samples": samples}],
        "observations": [{"name": "bins", "data": observed}],
        "measurements": [{"name": "golden", "config": {"poi": "mu", "parameters": parameters}}],
        "version": "1.0.0",
    }


def mu_parameter():
    return {"name": "mu", "inits": [1.0], "bounds": [[0.0, 10.0]]}


def stat_only(inputs):
    samples = [
        {"name": "signal", "data": inputs["S"], "modifiers": [{"name": "mu", "type": "normfactor", "data": None}]},
        {"name": "background", "data": inputs["B"], "modifiers": []},
    ]
    return workspace(samples, inputs["N"], [mu_parameter()])


def one_nuisance(inputs):
    sigma = inputs["sigma_alpha"]

    def histosys(nominal, response):
        return {"name": "theta", "type": "histosys", "data": {
            "hi_data": [x * (1.0 + sigma * c) for x, c in zip(nominal, response)],
            "lo_data": [x * (1.0 - sigma * c) for x, c in zip(nominal, response)]}}

    samples = [
        {"name": "signal", "data": inputs["S"],
         "modifiers": [{"name": "mu", "type": "normfactor", "data": None}, histosys(inputs["S"], inputs["a"])]},
        {"name": "background", "data": inputs["B"], "modifiers": [histosys(inputs["B"], inputs["b"])]},
    ]
    return workspace(samples, inputs["N"], [mu_parameter(), {"name": "theta", "inits": [0.0], "bounds": [[-5.0, 5.0]]}])


def main():
    golden, out = Path(sys.argv[1]), Path(sys.argv[2])
    for name in ["case1_stat_only", "case2_stat_only_low_counts", "case3_one_nuisance"]:
        inputs = json.loads((golden / f"{name}.json").read_text())["inputs"]
        ws = one_nuisance(inputs) if "a" in inputs else stat_only(inputs)
        (out / f"{name}.workspace.json").write_text(json.dumps(ws, indent=1) + "\n")


if __name__ == "__main__":
    main()
