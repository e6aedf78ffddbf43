/* global window */
/*
 * Tessera DAM: a "From the DAM" select in the media library's toolbar (the media modal, the block
 * editor's media library and Media > Library's grid), beside the type and date filters. It sets the
 * query property tessera_dam, which the plugin turns into a meta query on tessera_asset_id.
 * MIT licence (see LICENSE).
 */
(function (wp, l10n) {
  'use strict';
  if (!wp || !wp.media || !wp.media.view || !wp.media.view.AttachmentsBrowser) return;
  l10n = l10n || { all: 'All sources', dam: 'From the DAM', label: 'Filter by source' };

  var SourceFilter = wp.media.view.AttachmentFilters.extend({
    id: 'tessera-dam-source',
    className: 'attachment-filters tessera-dam-source',
    createFilters: function () {
      this.filters = {
        all: { text: l10n.all, props: { tessera_dam: null }, priority: 10 },
        dam: { text: l10n.dam, props: { tessera_dam: '1' }, priority: 20 },
      };
    },
  });

  var Browser = wp.media.view.AttachmentsBrowser;
  wp.media.view.AttachmentsBrowser = Browser.extend({
    createToolbar: function () {
      Browser.prototype.createToolbar.apply(this, arguments);
      this.toolbar.set(
        'tesseraDamLabel',
        new wp.media.view.Label({
          value: l10n.label,
          attributes: { for: 'tessera-dam-source' },
          priority: -76,
        }).render(),
      );
      this.toolbar.set(
        'tesseraDamSource',
        new SourceFilter({
          controller: this.controller,
          model: this.collection.props,
          priority: -75,
        }).render(),
      );
    },
  });
})(window.wp, window.tesseraDam);
