"""Run pip-audit on the installed packages and say plainly how many were really checked.

pip-audit asks PyPI's JSON API for each package's known vulnerabilities. Where that API does not
answer (a registry mirror that serves only /simple/, as on some build machines), pip-audit marks
every package "not found on PyPI" and exits 0 having checked nothing. This wrapper fails on any
vulnerability found, and prints how many packages could not be checked, so a green run never
hides an audit that did not happen.
"""

import json
import subprocess  # nosec B404: runs pip-audit from the same virtual environment
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def main() -> int:
    result = subprocess.run(  # noqa: S603  # nosec B603: fixed argument list, no shell
        [
            str(PIP_AUDIT),
            "--skip-editable",
            "--vulnerability-service",
            "pypi",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr, file=sys.stderr)
        print("pip-audit gave no report.", file=sys.stderr)
        return 1
    packages = report.get("dependencies", [])
    vulnerable = [p for p in packages if p.get("vulns")]
    unchecked = [p for p in packages if "skip_reason" in p]
    for package in vulnerable:
        ids = ", ".join(v["id"] for v in package["vulns"])
        print(f"VULNERABLE {package['name']} {package['version']}: {ids}")
    checked = len(packages) - len(unchecked)
    print(
        f"pip-audit: {checked} of {len(packages)} packages checked, {len(vulnerable)} vulnerable."
    )
    if unchecked:
        print(
            f"pip-audit: NOT CHECKED: {len(unchecked)} packages "
            "(the vulnerability service did not answer for them, e.g. "
            f"{unchecked[0]['name']}: {unchecked[0]['skip_reason']})."
        )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
