#!/usr/bin/env bash
# Start CUPS and set up the `kiosk-pdf` queue on the cups-pdf virtual printer, for the printing tests.
# Its PDFs land in /var/spool/cups-pdf/kiosk as <job title>-job_<id>.pdf (the kiosk titles a job with
# the tag number). Idempotent: run it as often as you like. Needs root, on Debian 12, after
#   apt-get install -y cups printer-driver-cups-pdf poppler-utils
set -euo pipefail

QUEUE=kiosk-pdf
# A device URI of cups-pdf:/NAME makes cups-pdf read /etc/cups/cups-pdf-NAME.conf: this queue gets
# its own output folder and file names, and the machine's cups-pdf.conf is left alone.
INSTANCE=kiosk
OUT=/var/spool/cups-pdf/kiosk
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd  # "no options": cups-pdf takes everything from the .conf

die() { echo "setup-cups: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it starts cupsd and writes /etc/cups)"
for command in cupsd lpadmin lpstat cupsenable cupsaccept; do
    command -v "$command" >/dev/null || die "no $command: apt-get install -y cups"
done
[ -x /usr/lib/cups/backend/cups-pdf ] && [ -f "$PPD" ] || die "no cups-pdf: apt-get install -y printer-driver-cups-pdf"

mkdir -p "$OUT"
chmod 1777 "$OUT"  # jobs from any user (tests may run unprivileged) write here
cat > "/etc/cups/cups-pdf-$INSTANCE.conf" <<EOF
# Written by .ci/setup-cups.sh for the $QUEUE queue (device cups-pdf:/$INSTANCE).
Out $OUT
AnonDirName $OUT
# <title>-job_<id>.pdf: the title (the tag number) first, the job id so nothing is overwritten.
Label 2
TitlePref 1
UserUMask 0000
AnonUMask 0000
Grp lpadmin
EOF

running() { lpstat -r 2>/dev/null | grep -q "scheduler is running"; }
if ! running; then
    # No systemd on these machines: the init script if it works, else cupsd itself (it daemonises).
    service cups start >/dev/null 2>&1 || cupsd
    for _ in $(seq 1 100); do running && break; sleep 0.2; done
    running || die "cupsd did not start; see /var/log/cups/error_log"
fi

# abort-job: a job that fails is dropped and the queue stays up, so one bad test job cannot pause
# the queue for every test after it (the default, stop-printer, would).
if ! said=$(lpadmin -p "$QUEUE" -E -v "cups-pdf:/$INSTANCE" -P "$PPD" -D "Kiosk test labels (PDF in $OUT)" \
        -o printer-error-policy=abort-job 2>&1); then
    die "lpadmin failed: $said"
fi
# CUPS 2.4 warns that PPD drivers are deprecated; cups-pdf has no other kind yet.
grep -v "deprecated" <<<"$said" || true
cupsenable "$QUEUE"
cupsaccept "$QUEUE"
lpstat -p "$QUEUE" -v "$QUEUE" | head -n 3
