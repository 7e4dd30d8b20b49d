#!/usr/bin/env bash
# Render a report the way a 宣传部 reader would see it: (.md/.txt → drafter export →) .docx → PDF → PNG.
# A manual check, not part of CI. Look at the PNGs; `pdffonts` shows which fonts stood in.
#
# Needs (Debian):  apt-get update && apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils
# Usage:           tools/render_docx.sh IN.docx|IN.md|IN.txt [OUTDIR]      (OUTDIR defaults to a temp dir)
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "用法：tools/render_docx.sh 输入.docx|输入.md|输入.txt [输出目录]" >&2
  exit 2
fi
for tool in soffice pdftoppm pdffonts; do
  if ! command -v "$tool" >/dev/null; then
    echo "缺少 $tool。请先运行：apt-get update && apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils" >&2
    exit 2
  fi
done

input=$1
outdir=${2:-$(mktemp -d -t drafter-render.XXXXXX)}
mkdir -p "$outdir"
name=$(basename "${input%.*}")

case "${input,,}" in
  *.docx) docx=$input ;;
  *) docx="$outdir/$name.docx"; drafter export "$input" -o "$docx" --force ;;
esac

# The 公文 fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体) are Windows fonts and not installed
# here. Without help LibreOffice falls back to a Japanese sans face for all of them; these aliases pick
# the nearest Noto CJK SC face of the same kind, so the page reads like Word on Windows would show it:
# Song-style serif for 小标宋/仿宋/宋体 (小标宋 in bold), sans for 黑体, and a Kai face when one is installed.
fc_dir=$(mktemp -d -t drafter-fc.XXXXXX)
trap 'rm -rf "$fc_dir"' EXIT
alias_xml() {  # alias_xml FAMILY PREFERRED...
  local family=$1; shift
  printf '  <alias binding="same"><family>%s</family><prefer>' "$family"
  printf '<family>%s</family>' "$@"
  printf '</prefer></alias>\n'
}
{
  echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
  echo '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
  for f in 仿宋_GB2312 仿宋 FangSong 宋体 SimSun; do alias_xml "$f" "Noto Serif CJK SC"; done
  for f in 楷体_GB2312 楷体 KaiTi; do alias_xml "$f" "AR PL UKai CN" "Noto Serif CJK SC"; done
  for f in 黑体 SimHei; do alias_xml "$f" "Noto Sans CJK SC"; done
  # bold only where the title font is asked for: 小标宋 is a heavy Song face
  echo '  <match target="pattern"><test name="family"><string>方正小标宋简体</string></test>'
  echo '    <edit name="family" mode="assign" binding="same"><string>Noto Serif CJK SC</string></edit>'
  echo '    <edit name="weight" mode="assign"><const>bold</const></edit></match>'
  echo '</fontconfig>'
} >"$fc_dir/fonts.conf"

# A throwaway LibreOffice profile: no lock on the user's own, and runs can go side by side.
# Comments (批注, e.g. from `drafter check --annotate`) are exported as PDF notes; tracked changes show
# as LibreOffice marks them (struck through / underlined in colour).
FONTCONFIG_FILE="$fc_dir/fonts.conf" soffice --headless "-env:UserInstallation=file://$fc_dir/profile" \
  --convert-to 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"},"ExportNotesInMargin":{"type":"boolean","value":"true"}}' \
  --outdir "$outdir" "$docx" >/dev/null 2>&1
pdf="$outdir/$(basename "${docx%.*}").pdf"
if [[ ! -s "$pdf" ]]; then
  echo "LibreOffice 没有生成 PDF：$docx" >&2
  exit 1
fi
pdftoppm -r 100 -png "$pdf" "$outdir/page"

echo "PDF: $pdf"
pdfinfo "$pdf" | grep -E '^(Pages|Page size):'
echo "实际使用的字体（替代了未安装的公文字体）："
pdffonts "$pdf" | tail -n +3 | awk '{print "  " $1}'
echo "页面图片："
ls -1 "$outdir"/page-*.png
