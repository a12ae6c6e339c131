"""Copy the pinned front-end packages from node_modules/ into static/vendor/.

Run by `make` after `npm ci`. static/vendor/ is ignored by git.
"""
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.frontend import ASSETS  # noqa: E402


def main() -> int:
    target = ROOT / "static" / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS.values():
        source = ROOT / "node_modules" / asset.package / asset.path
        if not source.is_file():
            print(f"vendor: {source} is missing; run npm ci", file=sys.stderr)
            return 1
        shutil.copyfile(source, target / asset.local)
    print(f"vendor: copied {len(ASSETS)} files into {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
