#!/usr/bin/env bash
# Installs the built bundle for the current user, without root: the app in ~/.local/opt, a
# launcher on the PATH, the desktop entry, the *.pcbook file type and the icons.
# Usage: bash packaging/linux/install.sh [BUNDLE]   (default build/dist/pcbudget; make package first)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bundle="${1:-$root/build/dist/pcbudget}"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
[ -x "$bundle/pcbudget" ] || { echo "no bundle at $bundle: run make package first" >&2; exit 1; }

mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$data/applications" "$data/mime/packages" "$data/metainfo"
rm -rf "$HOME/.local/opt/pcbudget"
cp -a "$bundle" "$HOME/.local/opt/pcbudget"
ln -sf "$HOME/.local/opt/pcbudget/pcbudget" "$HOME/.local/bin/pcbudget"
ln -sf "$HOME/.local/opt/pcbudget/pcbudget-cli" "$HOME/.local/bin/pcbudget-cli"
cp "$here/pcbudget.desktop" "$data/applications/pcbudget.desktop"
cp "$here/pcbudget-mime.xml" "$data/mime/packages/pcbudget.xml"
cp "$here/org.pcbudget.pcbudget.metainfo.xml" "$data/metainfo/"
if [ -d "$root/build/icons/hicolor" ]; then
  mkdir -p "$data/icons"
  cp -r "$root/build/icons/hicolor" "$data/icons/"
fi
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v xdg-mime >/dev/null && xdg-mime default pcbudget.desktop application/x-pcbudget-book || true
echo "pcbudget installed: run 'pcbudget', or open a .pcbook file from your file manager."
