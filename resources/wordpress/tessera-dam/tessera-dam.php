<?php
/**
 * Plugin Name:       Tessera DAM
 * Description:       Companion of the Tessera digital-asset manager: keeps the credit, licence, expiry and asset id of published images, replaces an image in place when a new version is approved (same attachment, same URL), lists where an image is used, and filters the media library to what came from the DAM.
 * Version:           1.0.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Tessera
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       tessera-dam
 *
 * Copyright (c) Tessera contributors. MIT licence: see LICENSE beside this file.
 */

if (!defined('ABSPATH')) {
	exit;
}

const TESSERA_DAM_VERSION = '1.0.0';

/** The meta Tessera writes on the attachments it publishes, with their labels in the media library. */
function tessera_dam_meta_keys() {
	return array(
		'tessera_credit'   => __('Credit', 'tessera-dam'),
		'tessera_licence'  => __('Licence', 'tessera-dam'),
		'tessera_expiry'   => __('Licence ends', 'tessera-dam'),
		'tessera_asset_id' => __('DAM asset', 'tessera-dam'),
	);
}

// Registered meta is what the REST API keeps: unregistered meta sent with a media item is dropped.
// Anyone may read it with the attachment; only who may edit the attachment may write it.
add_action('init', function () {
	foreach (array_keys(tessera_dam_meta_keys()) as $key) {
		register_post_meta('attachment', $key, array(
			'type'              => 'string',
			'single'            => true,
			'default'           => '',
			'show_in_rest'      => true,
			'sanitize_callback' => 'sanitize_text_field',
			'auth_callback'     => function ($allowed, $meta_key, $post_id) {
				return current_user_can('edit_post', $post_id);
			},
		));
	}
});

// Shown read-only in the media library's attachment details: the DAM owns them (an edit here would
// be overwritten by the next delivery), so they are never typed in twice.
add_filter('attachment_fields_to_edit', function ($fields, $post) {
	foreach (tessera_dam_meta_keys() as $key => $label) {
		$value = (string) get_post_meta($post->ID, $key, true);
		if ($value === '') {
			continue;
		}
		$fields[$key] = array(
			'label' => $label,
			'input' => 'html',
			'html'  => '<span class="tessera-dam-field" data-key="' . esc_attr($key) . '">' . esc_html($value) . '</span>',
		);
	}
	return $fields;
}, 10, 2);

/**
 * The meta query of "From the DAM": attachments that carry a Tessera asset id and whose licence has
 * not ended. Tessera pulls a copy when its licence ends, but only when it next runs; until then the
 * site's own copy of the end date (YYYY-MM-DD, compared as text, UTC like Tessera's) keeps an expired
 * image from being offered to an editor.
 */
function tessera_dam_meta_query() {
	return array(
		'relation' => 'AND',
		array(
			'key'     => 'tessera_asset_id',
			'value'   => '',
			'compare' => '!=',
		),
		array(
			'relation' => 'OR',
			array(
				'key'     => 'tessera_expiry',
				'compare' => 'NOT EXISTS',
			),
			array(
				'key'     => 'tessera_expiry',
				'value'   => '',
				'compare' => '=',
			),
			array(
				'key'     => 'tessera_expiry',
				'value'   => gmdate('Y-m-d'),
				'compare' => '>=',
				'type'    => 'CHAR',
			),
		),
	);
}

function tessera_dam_wants_filter($value) {
	return is_scalar($value) && (string) $value === '1';
}

// "From the DAM" in the media modal and the grid (the block editor's media library too): the view
// sends query[tessera_dam]=1, which WordPress strips from the query before this filter, so it is read here.
add_filter('ajax_query_attachments_args', function ($query) {
	$asked = isset($_REQUEST['query']['tessera_dam']) ? wp_unslash($_REQUEST['query']['tessera_dam']) : '';
	if (tessera_dam_wants_filter($asked)) {
		$query['meta_query'] = tessera_dam_meta_query();
	}
	return $query;
});

// The same filter over REST: GET /wp/v2/media?tessera_dam=1.
add_filter('rest_attachment_query', function ($args, $request) {
	if (tessera_dam_wants_filter($request->get_param('tessera_dam'))) {
		$args['meta_query'] = tessera_dam_meta_query();
	}
	return $args;
}, 10, 2);

// The list view of Media > Library: a select beside the date filter.
add_action('restrict_manage_posts', function ($post_type) {
	if ($post_type !== 'attachment') {
		return;
	}
	$on = isset($_GET['tessera_dam']) && tessera_dam_wants_filter(wp_unslash($_GET['tessera_dam']));
	echo '<label for="tessera-dam-source" class="screen-reader-text">' . esc_html__('Filter by source', 'tessera-dam') . '</label>';
	echo '<select name="tessera_dam" id="tessera-dam-source">';
	echo '<option value="">' . esc_html__('All sources', 'tessera-dam') . '</option>';
	echo '<option value="1"' . selected($on, true, false) . '>' . esc_html__('From the DAM', 'tessera-dam') . '</option>';
	echo '</select>';
});

add_action('pre_get_posts', function ($query) {
	if (!is_admin() || !$query->is_main_query() || $query->get('post_type') !== 'attachment') {
		return;
	}
	if (isset($_GET['tessera_dam']) && tessera_dam_wants_filter(wp_unslash($_GET['tessera_dam']))) {
		$query->set('meta_query', tessera_dam_meta_query());
	}
});

// The select in the media modal's toolbar (media-filter.js), wherever the media views load.
add_action('wp_enqueue_media', function () {
	wp_enqueue_script('tessera-dam-media-filter', plugins_url('media-filter.js', __FILE__), array('media-views'), TESSERA_DAM_VERSION, true);
	wp_localize_script('tessera-dam-media-filter', 'tesseraDam', array(
		'all'   => __('All sources', 'tessera-dam'),
		'dam'   => __('From the DAM', 'tessera-dam'),
		'label' => __('Filter by source', 'tessera-dam'),
	));
});

/**
 * Posts (any public or draft type, not revisions) that show the attachment: in their content (the
 * block's "id", the wp-image-ID class, or the file's name, which its size variants share), or as
 * their featured image.
 */
function tessera_dam_usage_posts($id) {
	global $wpdb;
	$url  = wp_get_attachment_url($id);
	$stem = $url ? preg_replace('/\.[^.\/]+$/', '', wp_basename($url)) : '';
	$likes = array('%' . $wpdb->esc_like('wp-image-' . $id) . '%', '%' . $wpdb->esc_like('"id":' . $id) . '%');
	if ($stem !== '') {
		$likes[] = '%' . $wpdb->esc_like($stem) . '%';
	}
	$where = implode(' OR ', array_fill(0, count($likes), 'post_content LIKE %s'));
	$rows  = $wpdb->get_results($wpdb->prepare(
		"SELECT ID FROM {$wpdb->posts}
		  WHERE post_type NOT IN ('revision', 'attachment', 'nav_menu_item')
		    AND post_status NOT IN ('auto-draft', 'trash', 'inherit')
		    AND ($where)",
		$likes
	));
	$out = array();
	foreach ($rows as $row) {
		$post    = get_post((int) $row->ID);
		$content = (string) $post->post_content;
		// LIKE is a first cut: wp-image-12 must not count for wp-image-123.
		if (preg_match('/wp-image-' . $id . '\b|"id":' . $id . '\b/', $content) || ($stem !== '' && strpos($content, $stem) !== false)) {
			$out[$post->ID] = array('post' => $post, 'how' => 'content');
		}
	}
	$featured = $wpdb->get_col($wpdb->prepare(
		"SELECT post_id FROM {$wpdb->postmeta} WHERE meta_key = '_thumbnail_id' AND meta_value = %s",
		(string) $id
	));
	foreach ($featured as $post_id) {
		$post = get_post((int) $post_id);
		if ($post && !isset($out[$post->ID]) && !in_array($post->post_status, array('trash', 'auto-draft', 'inherit'), true) && $post->post_type !== 'revision') {
			$out[$post->ID] = array('post' => $post, 'how' => 'featured');
		}
	}
	return array_values($out);
}

function tessera_dam_usage(WP_REST_Request $request) {
	$id = (int) $request['id'];
	if (get_post_type($id) !== 'attachment') {
		return new WP_Error('tessera_not_found', __('No such media item.', 'tessera-dam'), array('status' => 404));
	}
	$list = array();
	foreach (tessera_dam_usage_posts($id) as $u) {
		$post   = $u['post'];
		$list[] = array(
			'id'     => $post->ID,
			'type'   => $post->post_type,
			'status' => $post->post_status,
			'title'  => get_the_title($post),
			'link'   => get_permalink($post),
			'how'    => $u['how'],
		);
	}
	return rest_ensure_response($list);
}

/**
 * The attachment's file replaced in place by the request's raw body: same attachment id, same file
 * name and URL; its sizes are made again (wp_generate_attachment_metadata) and the old ones removed.
 * The new file must be the same type as the old (the URL keeps its extension). A post that embeds a
 * size whose name changed (the new version has other proportions) is pointed at the new size.
 */
function tessera_dam_replace(WP_REST_Request $request) {
	require_once ABSPATH . 'wp-admin/includes/file.php';
	require_once ABSPATH . 'wp-admin/includes/image.php';
	$id   = (int) $request['id'];
	$post = get_post($id);
	if (!$post || $post->post_type !== 'attachment') {
		return new WP_Error('tessera_not_found', __('No such media item.', 'tessera-dam'), array('status' => 404));
	}
	$bytes = $request->get_body();
	if (!is_string($bytes) || $bytes === '') {
		return new WP_Error('tessera_empty', __('The request holds no file.', 'tessera-dam'), array('status' => 400));
	}
	$file = get_attached_file($id, true);
	if (!$file || !is_dir(dirname($file))) {
		return new WP_Error('tessera_no_file', __('The media item has no file on this site to replace.', 'tessera-dam'), array('status' => 409));
	}
	$tmp = wp_tempnam(wp_basename($file));
	if (!$tmp || file_put_contents($tmp, $bytes) !== strlen($bytes)) {
		@unlink($tmp);
		return new WP_Error('tessera_write', __('The new file could not be written on the server.', 'tessera-dam'), array('status' => 500));
	}
	$expected = get_post_mime_type($id);
	$actual   = wp_get_image_mime($tmp);
	if (wp_attachment_is_image($id) && $actual !== $expected) {
		@unlink($tmp);
		return new WP_Error(
			'tessera_type',
			sprintf(
				/* translators: 1: the new file's type, 2: the media item's type */
				__('The new file is %1$s where the media item is %2$s: in place needs the same type.', 'tessera-dam'),
				$actual ? $actual : __('not an image', 'tessera-dam'),
				$expected
			),
			array('status' => 415)
		);
	}

	$dir       = dirname($file);
	$old_meta  = wp_get_attachment_metadata($id);
	$old_sizes = array();
	if (is_array($old_meta) && !empty($old_meta['sizes'])) {
		foreach ($old_meta['sizes'] as $name => $size) {
			$old_sizes[$name] = $size['file'];
		}
	}
	if (!@rename($tmp, $file)) {
		$copied = @copy($tmp, $file);
		@unlink($tmp);
		if (!$copied) {
			return new WP_Error('tessera_write', __('The media item\'s file could not be replaced.', 'tessera-dam'), array('status' => 500));
		}
	}
	$stat = stat($dir);
	@chmod($file, $stat['mode'] & 0000666);
	foreach ($old_sizes as $name => $size_file) {
		$path = path_join($dir, $size_file);
		if ($path !== $file) {
			wp_delete_file($path);
		}
	}
	if (is_array($old_meta) && !empty($old_meta['original_image'])) {
		wp_delete_file(path_join($dir, $old_meta['original_image']));
	}

	// The file keeps its name: no "-scaled" copy of a large one, which would change the URL.
	add_filter('big_image_size_threshold', '__return_false', 999);
	$meta = wp_generate_attachment_metadata($id, $file);
	remove_filter('big_image_size_threshold', '__return_false', 999);
	wp_update_attachment_metadata($id, $meta);
	wp_update_post(array('ID' => $id));
	clean_attachment_cache($id);

	$base    = trailingslashit(dirname(wp_get_attachment_url($id)));
	$changed = array();
	foreach ($old_sizes as $name => $size_file) {
		$now = isset($meta['sizes'][$name]['file']) ? $meta['sizes'][$name]['file'] : null;
		if ($now !== $size_file) {
			$changed[$base . $size_file] = $now ? $base . $now : wp_get_attachment_url($id);
		}
	}
	$rewritten = array();
	if ($changed) {
		foreach (tessera_dam_usage_posts($id) as $u) {
			$p       = $u['post'];
			$content = str_replace(array_keys($changed), array_values($changed), $p->post_content);
			if ($content !== $p->post_content) {
				wp_update_post(array('ID' => $p->ID, 'post_content' => wp_slash($content)));
				$rewritten[] = $p->ID;
			}
		}
	}

	$controller = new WP_REST_Attachments_Controller('attachment');
	$inner      = new WP_REST_Request('GET', '/wp/v2/media/' . $id);
	$inner->set_param('context', 'edit');
	$data = $controller->prepare_item_for_response(get_post($id), $inner)->get_data();
	$data['tessera_rewritten'] = $rewritten;
	return rest_ensure_response($data);
}

add_action('rest_api_init', function () {
	$id_arg = array(
		'id' => array(
			'validate_callback' => function ($value) {
				return is_numeric($value) && (int) $value > 0;
			},
		),
	);
	register_rest_route('tessera/v1', '/replace/(?P<id>\d+)', array(
		'methods'             => 'POST',
		'callback'            => 'tessera_dam_replace',
		'args'                => $id_arg,
		'permission_callback' => function ($request) {
			// A missing item is the callback's 404, for who may upload at all.
			$id = (int) $request['id'];
			return current_user_can('upload_files') && (!get_post($id) || current_user_can('edit_post', $id));
		},
	));
	register_rest_route('tessera/v1', '/usage/(?P<id>\d+)', array(
		'methods'             => 'GET',
		'callback'            => 'tessera_dam_usage',
		'args'                => $id_arg,
		'permission_callback' => function ($request) {
			$id = (int) $request['id'];
			return get_post($id) ? current_user_can('edit_post', $id) : current_user_can('upload_files');
		},
	));
});
