#!/bin/sh
# Entrypoint of the production image.
#   web     (default) apply migrations, then serve with gunicorn
#   worker  once web has applied the migrations, run the task worker
#   baker   once web has applied the migrations, keep the baked pages fresh (bake --follow)
#   seed    once web has applied the migrations, do what `make seed` does (demo accounts too)
#   other   run as given, e.g. `python manage.py provision --all`
set -eu

# Only web migrates: two `migrate` running at once on a fresh database can collide.
wait_for_migrations() {
  until status=$(python manage.py migrate --check 2>&1); do
    echo "$1: waiting for web to apply the migrations... $(echo "$status" | tail -n 1)" >&2
    sleep 5
  done
}

case "${1:-web}" in
  web)
    python manage.py migrate --no-input
    exec gunicorn --config config/gunicorn.py config.wsgi:application
    ;;
  worker)
    wait_for_migrations worker
    exec python manage.py db_worker
    ;;
  baker)
    # The pages nginx serves from the `baked` volume (docs/serving.md#baked-pages).
    wait_for_migrations baker
    exec python manage.py bake --follow
    ;;
  scheduler)
    # Go-live and expiry dates of pages and snippets (council minutes, events, banners),
    # every minute; every hour, contact messages past their retention period are erased.
    wait_for_migrations scheduler
    last_purge=0
    while true; do
      python manage.py publish_scheduled
      # Residents' alerts (docs/alerts.md): the banners whose start has come, any missed run.
      python manage.py send_alerts -v 0
      now=$(date +%s)
      if [ $((now - last_purge)) -ge "${PURGE_INTERVAL:-3600}" ]; then
        # A failed purge is retried on the next round; publishing goes on meanwhile.
        python manage.py purge_form_submissions && last_purge=$now
      fi
      # Once a day: pages past their time in the recycle bin are deleted for good.
      if [ "$(date +%F)" != "${recycle_bin_purged:-}" ]; then
        python manage.py purge_recycle_bin && recycle_bin_purged="$(date +%F)"
        # Newcomers' applications: kept NEWCOMERS_APPLICATION_RETENTION_DAYS.
        python manage.py purge_applications
        # Residents' photos of the « appel à photos »: docs/photos.md.
        python manage.py purge_photo_submissions
        # Alert subscriptions never confirmed: ALERTS_UNCONFIRMED_RETENTION_DAYS.
        python manage.py purge_alert_subscriptions
        # The connection log holds addresses, personal data: kept LOGIN_LOG_RETENTION_DAYS.
        python manage.py axes_reset_logs --age "${LOGIN_LOG_RETENTION_DAYS:-180}" -v 0
        python manage.py axes_reset_failure_logs --age "${LOGIN_LOG_RETENTION_DAYS:-180}" -v 0
        # The « nouvelles offres » alert; a failed address is tried again the next day.
        python manage.py send_offer_alerts
      fi
      # Once a week, Sunday from 2 a.m.: broken links, images without alternative text and
      # PDFs without text on every site (docs/quality.md). In the background: checking the
      # outside links politely takes minutes, and publishing must not wait for it. Stamped
      # when started (one run a week); a site that fails is reported and retried next week.
      if [ "$(date +%u)" = 7 ] && [ "$(date +%H)" -ge 2 ] && [ "$(date +%G-%V)" != "${links_checked:-}" ]; then
        python manage.py check_links -v 0 &
        links_checked="$(date +%G-%V)"
      fi
      # Once a month: the communes' photos from Wikidata and Commons (docs/photos.md); a
      # failed run is tried again the next day (stamped only when it succeeds).
      if [ "$(date +%Y-%m)" != "${photos_synced:-}" ]; then
        python manage.py sync_commune_photos -v 0 && photos_synced="$(date +%Y-%m)"
      fi
      # Once a week, on Monday: each secretary's quality digest (docs/quality.md); a
      # failed run is tried again at the next round (stamped only when it succeeds).
      if [ "$(date +%u)" = "1" ] && [ "$(date +%G-W%V)" != "${digest_sent:-}" ]; then
        python manage.py send_quality_digest && digest_sent="$(date +%G-W%V)"
      fi
      sleep "${SCHEDULER_INTERVAL:-60}"
    done
    ;;
  seed)
    wait_for_migrations seed
    # Nothing baked change by change while seeding: `bake --all` bakes every site at the end.
    export BAKING_ENABLED=0
    # The steps of `make seed` in one process, indexed once at the end (docs/scaling.md).
    python manage.py seed
    # Every page baked once, for nginx; the baker keeps them fresh from then on.
    exec python manage.py bake --all --parallel 2
    ;;
  *)
    exec "$@"
    ;;
esac
