"""README.md opens with the two set-up commands, and .ci/run runs the test one verbatim."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands_in_readme() -> list[str]:
    text = (ROOT / "README.md").read_text()
    blocks = text.split("```bash\n")[1:3]
    return [block.split("\n```")[0].strip() for block in blocks]


def test_readme_opens_with_a_run_command_and_a_test_command():
    run, test = commands_in_readme()
    assert run.endswith("main.py") and "pip install" in run
    assert "pytest" in test and "pip install" in test


def test_ci_runs_the_readme_test_command_verbatim():
    _, test = commands_in_readme()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test in ci_lines
