"""A private Airflow home for in-process DAG tests; import this before anything imports airflow.

Airflow reads AIRFLOW_HOME, DAGS_FOLDER and LOAD_EXAMPLES once, at its first import, so this
module sets them at import time (a fixture would be too late). The SQLite metadata DB is
created once per session by the `airflow_db` fixture.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DAGS_FOLDER = REPO / "dags"

if "airflow" in sys.modules and not os.environ.get("AIRFLOW_HOME", "").startswith(
    tempfile.gettempdir()
):
    raise RuntimeError("airflow was imported before tests/airflow_env.py set AIRFLOW_HOME")

if not os.environ.get("AKHBAR_TEST_AIRFLOW_HOME"):
    os.environ["AKHBAR_TEST_AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="akhbar-airflow-")
    atexit.register(shutil.rmtree, os.environ["AKHBAR_TEST_AIRFLOW_HOME"], ignore_errors=True)
AIRFLOW_HOME = Path(os.environ["AKHBAR_TEST_AIRFLOW_HOME"])
os.environ["AIRFLOW_HOME"] = str(AIRFLOW_HOME)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS_FOLDER)
os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{AIRFLOW_HOME / 'airflow.db'}"
os.environ["AKHBAR_TASK_RETRIES"] = "0"  # a failing source fails at once, no backoff wait
os.environ["AKHBAR_LAKE"] = str(AIRFLOW_HOME / "default-lake")  # never the repo's data/
if str(DAGS_FOLDER) not in sys.path:
    sys.path.insert(0, str(DAGS_FOLDER))


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """The metadata schema, created once per test session (~3 s)."""
    from airflow.utils import db

    db.resetdb()
    return AIRFLOW_HOME


@pytest.fixture(scope="session")
def dagbag(airflow_db: Path):
    """Both DAG files parsed the way the dag-processor parses them."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    assert not bag.import_errors, bag.import_errors
    return bag
