"""Copy the pinned front-end packages from node_modules/ into static/vendor/.

Run by `make` after `npm ci`. static/vendor/ is ignored by git.
"""
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.frontend import ASSETS  # noqa: E402


FONT_WEIGHTS = ("400", "600")


def main() -> int:
    target = ROOT / "static" / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS.values():
        source = ROOT / "node_modules" / asset.package / asset.path
        if not source.is_file():
            print(f"vendor: {source} is missing; run npm ci", file=sys.stderr)
            return 1
        shutil.copyfile(source, target / asset.local)
    # The Inter typeface Designsystemet is drawn for (latin, regular and semibold),
    # always served from here: the pages work with system fonts when it is missing.
    fonts = ROOT / "node_modules" / "@fontsource" / "inter"
    if fonts.is_dir():
        (target / "inter" / "files").mkdir(parents=True, exist_ok=True)
        for weight in FONT_WEIGHTS:
            shutil.copyfile(fonts / f"latin-{weight}.css", target / "inter" / f"latin-{weight}.css")
            for ext in ("woff2", "woff"):
                name = f"inter-latin-{weight}-normal.{ext}"
                shutil.copyfile(fonts / "files" / name, target / "inter" / "files" / name)
    print(f"vendor: copied {len(ASSETS)} files and the Inter font into {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
