#!/usr/bin/env bash
# Shared set-up for scripts/test and scripts/run, which source it (run on its own, it just sets up .venv).
#
# After sourcing:
#   - the working directory is the repository root ($MEMBERFLOW_ROOT)
#   - .venv exists (created with $PYTHON, default python3) with requirements.lock (hash-checked) and the project
#     (`pip install --no-deps -e .`) installed; README: Dependencies says how to renew the lock
#   - `memberflow_ensure_cjk_font` is available (installs Debian's fonts-noto-cjk when missing)
#   - `memberflow_ensure_chromium` is available (installs Debian's chromium for the browser tests when missing)
#
# Re-running is cheap: pip is skipped while .venv/.memberflow-installed is newer than pyproject.toml and the lock.
# Set MEMBERFLOW_FORCE_INSTALL=1 to reinstall anyway.
set -euo pipefail

MEMBERFLOW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$MEMBERFLOW_ROOT"

VENV="$MEMBERFLOW_ROOT/.venv"
# the run, test and bench commands are developer tooling: development defaults (dev SMS/identity backends,
# the dev SECRET_KEY) are allowed; the app refuses them otherwise (app/config.py development_defaults_in)
export MEMBERFLOW_ENV="${MEMBERFLOW_ENV:-development}"
VENV_PY="$VENV/bin/python"
_MF_STAMP="$VENV/.memberflow-installed"

_mf_log() { printf '==> %s\n' "$*" >&2; }

# Run a command as root: directly when we are root, else through sudo when there is one.
_mf_as_root() {
    if [[ ${EUID:-$(id -u)} -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

_mf_apt_install() {
    _mf_log "apt-get install $*"
    _mf_as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update
    _mf_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "$@"
}

memberflow_ensure_venv() {
    local python="${PYTHON:-python3}"
    if [[ -d $VENV ]] && ! "$VENV_PY" -c 'import sys' >/dev/null 2>&1; then
        _mf_log "removing broken $VENV"
        rm -rf "$VENV"
    fi
    if [[ ! -x $VENV_PY ]]; then
        if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "error: $python is missing or older than Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
            return 1
        fi
        _mf_log "creating $VENV with $("$python" --version 2>&1)"
        "$python" -m venv "$VENV"
    fi
    if [[ -n ${MEMBERFLOW_FORCE_INSTALL:-} || ! -f $_MF_STAMP || pyproject.toml -nt $_MF_STAMP \
        || requirements.lock -nt $_MF_STAMP ]]; then
        # the exact versions of requirements.lock, checked against its hashes; then the project itself
        _mf_log "pip install -r requirements.lock, then -e . into $VENV"
        rm -f "$_MF_STAMP"
        "$VENV_PY" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
        "$VENV_PY" -m pip install --quiet --disable-pip-version-check --no-deps -e .
        touch "$_MF_STAMP"
    fi
}

# The CJK font that PDFs embed (Debian's fonts-noto-cjk), and the tools the certificate tests read PDFs with:
# pdftotext/pdftoppm (poppler-utils) extract the text and render pages, zbarimg (zbar-tools) decodes the QR code.
MEMBERFLOW_CJK_FONT=${MEMBERFLOW_CJK_FONT:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}  # app/config.py: the same

memberflow_ensure_cjk_font() {
    if [[ -f $MEMBERFLOW_CJK_FONT ]] && command -v fc-list >/dev/null 2>&1 \
        && [[ -n $(fc-list :lang=zh family 2>/dev/null) ]] \
        && command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
        && command -v zbarimg >/dev/null 2>&1; then
        return 0
    fi
    _mf_apt_install fonts-noto-cjk fontconfig poppler-utils zbar-tools
    if [[ ! -f $MEMBERFLOW_CJK_FONT ]]; then
        echo "error: $MEMBERFLOW_CJK_FONT still missing after installing fonts-noto-cjk" >&2
        return 1
    fi
}

# The browser tests (tests/browser) drive Debian's chromium through playwright (the Python package comes from the
# lock; playwright's own browser download is never used). Where it cannot be installed (no root, no apt) the
# browser tests skip, saying so; everything else still runs.
memberflow_ensure_chromium() {
    if [[ -n ${MEMBERFLOW_CHROMIUM:-} ]] || command -v chromium >/dev/null 2>&1; then
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1 || ! _mf_apt_install chromium; then
        _mf_log "chromium could not be installed: the browser tests (tests/browser) will be skipped"
    fi
}

memberflow_ensure_venv
