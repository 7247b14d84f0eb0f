# Shared by scripts/desk and scripts/test: a virtual environment with the project installed.
# ensure_venv EXTRAS   ("" or "[test]")

find_python() {
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [[ -n "$candidate" ]] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    echo "MASH Desk needs Python 3.11 or newer (sudo apt-get install -y python3)." >&2
    return 1
}

ensure_venv() {
    local extras="$1" python stamp
    python=$(find_python)
    if [[ ! -x .venv/bin/python ]]; then
        if ! "$python" -m venv .venv 2>/dev/null; then
            rm -rf .venv
            local pkg="python3-venv"
            if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
                apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"
                "$python" -m venv .venv
            else
                echo "Python cannot make a virtual environment here. Install it with:" >&2
                echo "  sudo apt-get install -y $pkg" >&2
                return 1
            fi
        fi
    fi
    # Reinstall only when the dependencies changed.
    stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${extras//[^a-z]/}"
    if [[ ! -f "$stamp" ]]; then
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -e ".${extras}"
        rm -f .venv/.installed-*
        touch "$stamp"
    fi
}

# The DfE's CIN census rules (csc-validator-be-cin) in their own environment, .venv-cin: the validator pins
# pandas 1.5 and needs numpy < 2 beside it, which the desk's environment does not share. The desk runs it
# as a separate process (mashdesk/returns/validation.py) when it is there. Its own command line
# (`python -m cin_validator run FILE.xml`) imports pytest, so that goes in too.
CIN_VALIDATOR_PINS=("csc-validator-be-cin==0.1.13" "numpy<2" "pytest")

ensure_cin_validator() {
    local python stamp
    python=$(find_python)
    stamp=".venv-cin/.installed-$(echo "${CIN_VALIDATOR_PINS[*]}" | sha256sum | cut -c1-16)"
    [[ -f "$stamp" ]] && return 0
    [[ -x .venv-cin/bin/python ]] || "$python" -m venv .venv-cin || return 1
    .venv-cin/bin/python -m pip install -q --upgrade pip
    .venv-cin/bin/python -m pip install -q "${CIN_VALIDATOR_PINS[@]}" || return 1
    rm -f .venv-cin/.installed-*
    touch "$stamp"
}
