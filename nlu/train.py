"""Train the NLU model into a cache keyed by a hash of training data + config."""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from nlu.rasa_env import no_telemetry

log = logging.getLogger(__name__)

MODEL_PREFIX = "nlu-"
COMPONENT_SOURCE = Path(__file__).with_name("components.py")


def training_files(data_dir: Path) -> list[Path]:
    """Return the training data files, in a stable order."""
    return sorted(p for p in data_dir.rglob("*") if p.suffix in {".yml", ".yaml"} and p.is_file())


def fingerprint(config: Path, data_dir: Path) -> str:
    """Hash the config, every training file (name and content), our classifier's code and the Rasa version."""
    no_telemetry()
    import rasa

    digest = hashlib.sha256()
    digest.update(f"rasa={rasa.__version__}\n".encode())
    digest.update(COMPONENT_SOURCE.read_bytes())
    digest.update(config.read_bytes())
    for path in training_files(data_dir):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def cached_model(config: Path, data_dir: Path, model_dir: Path) -> Path:
    """Return where the model for the current data and config lives (it may not exist yet)."""
    return model_dir / f"{MODEL_PREFIX}{fingerprint(config, data_dir)}.tar.gz"


def train(config: Path, data_dir: Path, model_dir: Path, force: bool = False) -> Path:
    """Return the cached model, training it first if data or config changed."""
    target = cached_model(config, data_dir, model_dir)
    if target.exists() and not force:
        log.info("NLU model is up to date: %s", target.name)
        return target
    # Rasa keeps a component cache in ./.rasa by default: keep it beside the models instead.
    os.environ.setdefault("RASA_CACHE_DIRECTORY", str(model_dir / "rasa-cache"))
    no_telemetry()
    from rasa.model_training import train_nlu

    model_dir.mkdir(parents=True, exist_ok=True)
    log.info("training the NLU model (%d files)", len(training_files(data_dir)))
    result = train_nlu(
        config=str(config),
        nlu_data=str(data_dir),
        output=str(model_dir),
        fixed_model_name=target.name[: -len(".tar.gz")],
    )
    if not result or not Path(result).exists():
        raise RuntimeError("Rasa did not produce a model; see the messages above")
    return Path(result)
