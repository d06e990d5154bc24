import type { ErrorParams } from "./errors.js";

/**
 * Every sentence with which the API refuses something, with its stable code (docs/API.md,
 * "Error codes"): over HTTP when the error was thrown without a code of its own, and over
 * the websocket for a refused update or a closed connection. Each sentence is written as
 * the English catalogue of the editor holds it (`error.<code>`, or `error.<code>_one` and
 * `_other` for one with a count), `{{name}}` standing for a value the sentence names, which
 * the answer carries in `params` so that a client can word it in another language.
 * test/error-codes.test.ts checks that every sentence the server writes is here and that
 * both catalogues have each code. Earlier entries win, so a specific sentence stands
 * before a general one that would also match it.
 */
export const REFUSAL_SENTENCES: ReadonlyArray<readonly [code: string, sentence: string]> = [
  // amendments and recommendations
  ["amendment.paragraph_gone", "paragraph {{paragraph}} no longer exists"],
  ["amendment.target_gone", "the target paragraph {{paragraph}} no longer exists; withdraw the amendment"],
  ["amendment.target_gone_decide", "the target paragraph no longer exists; the amendment can only be rejected or withdrawn"],
  ["amendment.deletion_has_no_content", "a deletion proposes no content"],
  ["amendment.content_required", "the amendment needs content"],
  ["amendment.already_sponsor", "{{delegation}} sponsors this amendment already"],
  ["amendment.deletion_not_modifiable", "a deletion cannot be modified; accept or reject it"],
  ["amendment.modified_content_required", "accepting as modified needs the revised content"],
  ["amendment.content_only_when_modified", "content is only for a decision accepted_as_modified"],
  ["amendment.before_title", "nothing can be inserted before the title"],
  ["amendment.not_a_paragraph", "only a paragraph can be replaced or deleted, not the {{kind}}"],
  ["amendment.wrong_state", "amendment {{amendment}} is {{state}}; one can {{doing}} only when it is {{states}}"],
  ["content.invalid", "invalid content"],
  ["content.schema_invalid", "the content is not valid in the schema"],
  ["paragraph.not_in_document", "paragraph {{paragraph}} does not exist in this document"],
  ["recommendation.no_sponsorship", "{{delegation}} has not agreed to sponsor this recommendation"],
  ["recommendation.invalid", "invalid recommendation"],
  ["recommendation.observers_only", "only civil society observers submit recommendations; delegations table amendments"],
  ["recommendation.chair_only", "only the chair may turn a recommendation into an amendment"],
  ["recommendation.paragraph_required", "say which paragraph the amendment targets"],
  ["recommendation.frozen", "the document is {{state}}; it no longer takes recommendations"],
  ["recommendation.converted", "the recommendation has already been turned into an amendment"],
  // annotations
  ["annotation.exists", "{{paragraph}} already has this annotation"],
  ["annotation.needs_text", "a facilitator's note needs its words"],
  ["annotation.chair_only", "only the chair of the body that owns the document, or the secretariat, annotates its paragraphs"],
  ["annotation.frozen", "the document is {{state}}; its annotations can no longer change"],
  // brackets
  ["bracket.already_holds", "{{delegation}} already holds bracket {{bracket}}"],
  ["bracket.already_supports", "{{delegation}} already supports bracket {{bracket}}"],
  ["bracket.holds_not_supports", "{{delegation}} holds bracket {{bracket}}; it withdraws that first, a delegation does not both hold and support a wording"],
  ["bracket.supports_not_holds", "{{delegation}} supports bracket {{bracket}}; it withdraws that first, a delegation does not both hold and support a wording"],
  ["bracket.not_a_group", "{{holder}} is no group of this meeting; a delegate speaks for its own delegation or for a group the meeting lists"],
  ["bracket.not_own_hold", "{{delegation}} does not hold bracket {{bracket}} ({{held}}); a delegation lifts only its own hold"],
  ["bracket.not_own_support", "{{delegation}} does not support bracket {{bracket}} ({{held}}); a delegation lifts only its own support"],
  ["bracket.lift_others_hold", "{{delegation}} may lift only its own hold, or a group's it recorded, not {{other}}'s"],
  ["bracket.lift_others_support", "{{delegation}} may lift only its own support, or a group's it recorded, not {{other}}'s"],
  ["bracket.holds_closed", "bracket {{bracket}} is {{state}}; holds change only while it is open"],
  ["bracket.paragraph_empty", "{{paragraph}} is empty; a bracket needs text to stand on"],
  ["bracket.encloses_paragraphs", "bracket {{bracket}} already encloses these paragraphs; join its hold instead"],
  ["bracket.encloses_text", "bracket {{bracket}} already encloses this text; join its hold instead"],
  ["bracket.wrong_block", "brackets stand in lead-ins, headings, preambular and operative paragraphs, not in the {{kind}}"],
  ["bracket.paragraphs_cross", "the paragraphs cross bracket {{bracket}}; brackets may nest inside one another but not overlap"],
  ["bracket.paragraphs_not_consecutive", "the paragraphs must be consecutive, each named once"],
  ["bracket.range_crosses", "the range crosses bracket {{bracket}}; brackets may nest inside one another but not overlap"],
  ["bracket.range_outside", "the range must lie within {{paragraph}} (0…{{length}}) and not be empty"],
  ["bracket.range_splits_character", "the range splits a character"],
  ["bracket.option_too_long", "{{paragraph}} would exceed {{max}} characters"],
  ["bracket.option_paragraph_too_long", "a paragraph holds at most {{max}} characters"],
  ["bracket.options_closed", "bracket {{bracket}} is {{state}}; options are added only to an open bracket"],
  ["bracket.not_in_text", "bracket {{bracket}} no longer stands in the text"],
  ["bracket.options_are_wordings", "bracket {{bracket}} stands inside a paragraph; its options are wordings (text), not paragraphs"],
  ["bracket.option_needs_paragraphs", "the option needs its paragraphs' text, or noText"],
  ["bracket.option_needs_text", "the option needs some text"],
  ["bracket.held", "{{reason}}; the chair resolves a bracket only when no holder is left, or with an explicit override reason"],
  ["bracket.already_closed", "bracket {{bracket}} is already {{state}}"],
  ["bracket.is_option", "bracket {{bracket}} is one of {{count}} options ({{options}}); choose it (the others are deleted) or delete it"],
  ["bracket.clean_text_open", "the clean text exists once no bracket is open; {{count}} is open"],
  ["bracket.clean_text_open", "the clean text exists once no bracket is open; {{count}} are open"],
  ["bracket.unknown_holders", "{{holders}}: no delegation of this meeting"],
  ["bracket.typed_empty", "nothing stands between the typed brackets in {{paragraph}}; remove them instead"],
  ["bracket.typed_unclosed", "the typed \"[\" in {{paragraph}} has no \"]\" after it; type its partner first, or remove it"],
  ["bracket.typed_missing", "there is no typed \"[\" at offset {{offset}} of {{paragraph}}"],
  // comments
  ["comment.range_moved", "range: it does not point into this paragraph's text as the server has it (if you just typed it, try again in a moment)"],
  ["comment.range_invalid", "range: not an encoded Yjs relative position"],
  ["comment.range_empty", "range: select at least one character"],
  ["comment.no_paragraph", "paragraphId: no such paragraph in this document"],
  ["comment.too_long", "a comment has at most {{max}} characters"],
  ["comment.needs_text", "a comment needs some text"],
  ["comment.too_many", "a document carries at most {{max}} comments and notes"],
  ["comment.author_only_delete", "only its author may delete a comment"],
  ["comment.author_only_edit", "only its author may edit a comment"],
  ["comment.resolve_forbidden", "only the thread's author, the chair or the secretariat may resolve it"],
  ["comment.reopen_forbidden", "only the thread's author, the chair or the secretariat may reopen it"],
  ["comment.already_deleted", "this comment was already deleted"],
  ["comment.deleted", "this comment was deleted"],
  ["comment.already_resolved", "this thread is already resolved"],
  ["comment.already_open", "this thread is already open"],
  ["comment.observers_read", "observers read comments; they do not write them"],
  ["comment.notes_forbidden", "only a delegation's delegates, ministers and observers keep its notes"],
  // consolidation
  ["consolidation.no_source", "name at least one source document"],
  ["consolidation.forbidden", "only the rapporteur or the secretariat may consolidate documents"],
  ["consolidation.unknown_paragraphs", "some selected paragraphs do not exist in their source"],
  ["consolidation.source_not_found", "source document {{document}} not found"],
  ["consolidation.source_twice", "source document {{document}} is listed twice"],
  ["consolidation.source_withdrawn", "source document {{document}} is withdrawn"],
  ["consolidation.no_plenary", "the meeting has no plenary to own the consolidated document"],
  ["consolidation.pull_forbidden", "only the rapporteur or the secretariat may pull source changes"],
  ["consolidation.decline_forbidden", "only the rapporteur or the secretariat may decline source changes"],
  ["consolidation.provenance_not_found", "provenance of paragraph {{paragraph}} not found"],
  ["consolidation.paragraph_not_found", "paragraph {{paragraph}} not found"],
  ["consolidation.cannot_pull", "the source change cannot be pulled now: {{reason}}"],
  ["consolidation.nothing_to_pull", "the source paragraph has not changed since it was copied; there is nothing to pull"],
  ["consolidation.nothing_to_decline", "the source paragraph has not changed since it was copied; there is nothing to decline"],
  ["consolidation.already_declined", "this source change was already declined"],
  // deletions
  ["deletion.restore_forbidden", "only the chair of the body that owns the document, or the secretariat, restores a deleted paragraph"],
  ["deletion.in_text", "paragraph {{paragraph}} is in the text; there is nothing to restore"],
  // exports
  ["export.clean_text_brackets", "the clean text exists once no bracket stands; {{count}} does"],
  ["export.clean_text_brackets", "the clean text exists once no bracket stands; {{count}} do"],
  ["export.compare_current_only", "compareTo compares the texts as negotiated: use view=current"],
  ["export.compare_docx_only", "compareTo is for format=docx: the changes are shown as Word tracked changes"],
  ["export.no_language", "this document has no text in \"{{language}}\""],
  // footnotes
  ["footnote.frozen", "the document is {{state}}; its reference footnotes can no longer change"],
  ["footnote.offset_past_end", "the offset is past the end of the paragraph"],
  ["footnote.secretariat_only", "only the secretariat adds, edits or removes reference footnotes"],
  // http
  ["request.invalid", "invalid request: {{reasons}}"],
  ["request.too_many", "too many requests; slow down for a minute"],
  ["request.cross_origin", "cross-origin request refused"],
  ["cluster.forward_unsigned", "a forwarded request without a good signature"],
  // import
  ["import.docx_unreadable", "the DOCX cannot be read: it has no document body"],
  ["import.docx_damaged", "the DOCX cannot be read: {{detail}}"],
  ["import.paragraph_too_long", "{{where}} of the file has {{length}} characters; a paragraph holds at most {{max}}"],
  ["import.wrong_type", "a {{type}} file cannot be imported; send a .docx ({{docx}}) or text/plain"],
  ["import.empty", "the file is empty"],
  ["import.body_required", "bodyId is required: the body whose document this is"],
  ["import.too_large", "the file is larger than {{mb}} MB; import a smaller one"],
  ["import.part_expands", "the DOCX expands to more than {{mb}} MB (its part {{part}} alone); it is refused"],
  ["import.expands", "the DOCX expands to more than {{mb}} MB; it is refused"],
  ["import.too_many_parts", "the DOCX holds {{parts}} parts; at most {{max}} are read"],
  ["import.part_damaged", "the DOCX is damaged: its part {{part}} cannot be read"],
  ["import.would_expand", "the DOCX would expand to {{mb}} MB; at most {{max}} MB are read"],
  ["import.zip_not_docx", "the file is a ZIP archive but not a DOCX: it has no word/document.xml"],
  ["import.not_zip", "the file is not a DOCX: it is not a ZIP archive (a .doc from Word 97–2003 must be saved as .docx first)"],
  // language versions
  ["translation.empty", "{{paragraph}} has no translation yet; write it before marking it done"],
  ["translation.original_paragraph_not_found", "paragraph of the original not found"],
  ["language.version_exists", "the document already has a {{language}} version"],
  ["language.own_language", "the document is written in {{language}}; it is its own {{language}} text"],
  ["language.not_in_meeting", "the meeting has no language \"{{language}}\""],
  ["language.not_a_version", "this document is an original; ask one of its language versions"],
  ["language.version_of_version", "this is a language version; add languages to its original"],
  ["language.add_forbidden", "only the meeting's secretariat adds a language version"],
  ["translation.mark_in_original", "paragraphs are marked translated in a language version, not in the original"],
  ["translation.mark_forbidden", "only the {{language}} translators and the secretariat mark paragraphs of this version translated"],
  ["language.structure_follows", "a language version follows its original's paragraphs; translators change only the text inside them"],
  ["language.not_in_original", "this is a language version: its text is written by its translators; propose changes to the original"],
  ["language.original_governs", "this is a language version: its original (document {{document}}) governs its paragraphs and their statuses; do it there"],
  ["language.translators_original", "translators write language versions only; this is the original"],
  ["language.other_language", "you translate into {{languages}}; this is the {{language}} version"],
  ["translation.not_current", "the document cannot be adopted until every language version is current: {{count}} paragraph not current"],
  ["translation.not_current", "the document cannot be adopted until every language version is current: {{count}} paragraphs not current"],
  // lifecycle
  ["password.too_many_wrong", "too many wrong passwords; {{act}} is refused for {{minutes}} more minutes"],
  ["reservation.no_paragraph", "no paragraph {{paragraph}} in the text"],
  ["reservation.delegations_only", "only a delegation may make a reservation"],
  ["reservation.forbidden", "only delegates and ministers make reservations, for their own delegation"],
  ["reservation.withdrawn", "the document is withdrawn; it takes no more reservations"],
  ["signatories.unknown", "not delegations of this meeting: {{delegations}}"],
  ["signatories.frozen", "the document is {{state}}; its signatories can no longer change"],
  ["signatories.secretariat_only", "only the secretariat sets who must sign a document"],
  ["signature.no_delegation", "a minister must belong to a delegation to sign"],
  ["signature.other_delegation", "a minister of {{delegation}} may not sign for {{other}}"],
  ["signature.all_signed", "every required signatory has signed this document already"],
  ["signature.language_changed", "the {{language}} text no longer matches its adopted version; nothing can be signed until this is resolved"],
  ["signature.text_changed", "the current text no longer matches the adopted version; nothing can be signed until this is resolved"],
  ["signature.no_adopted_version", "the document has no adopted version to sign"],
  ["signature.does_not_verify", "the signature does not verify with your confirmed key"],
  ["signature.not_adopted_text", "the text you were shown is not the adopted text; reload it and sign again"],
  ["signature.no_key", "you have no confirmed signing key: create one in the Lifecycle panel and ask the secretariat to confirm it"],
  ["signing_key.ministers_only", "only ministers register signing keys"],
  ["signing_key.secretariat_only", "only the secretariat confirms signing keys"],
  ["signing_key.wrong_fingerprint", "the fingerprint you compared is not this key's"],
  ["signing_key.invalid", "the public key is not a valid ECDSA P-256 key"],
  ["signing_key.already_confirmed", "this key is confirmed already"],
  ["signing_key.already_revoked", "this key is revoked already"],
  ["signing_key.revoked", "this key was revoked; the minister must register a new one"],
  ["signing_key.has_confirmed", "you already have a confirmed signing key; the secretariat must revoke it before you register another"],
  ["statement.no_adopted_text", "the document is {{state}}; there is no adopted text to sign"],
  ["statement.no_signed_at", "the signed statement has no signedAt time"],
  ["statement.not_json", "the signed statement is not JSON"],
  ["statement.mismatch", "the signed statement is not the statement of this signature"],
  ["statement.clock_skew", "the statement was signed more than ten minutes from now; check the computer's clock and sign again"],
  ["statement.bad_time", "the statement's signedAt is not an ISO 8601 time (as Date.toISOString writes it)"],
  ["version.save_forbidden", "only the secretariat or the chair of the owning body may save a named version"],
  // meetings
  ["body.plenary_exists", "this meeting already has a plenary"],
  ["body.name_taken", "this meeting already has a body called {{name}}"],
  ["body.chairs_not_members", "the body's chairs are not members of this meeting"],
  ["body.chair_not_member", "chair {{username}} is not a member of this meeting"],
  ["member.other_meeting", "{{username}} is also a member of another meeting; only a server administrator may reset their password"],
  ["member.cannot_add", "the member cannot be added"],
  ["member.cannot_change", "the member cannot be changed"],
  ["member.exists", "{{username}} is already a member of this meeting"],
  ["member.bad_username", "username {{username}} must be 2 to 63 letters, digits or . _ @ - and start with a letter or digit"],
  ["member.bad_display_name", "displayName must be 1 to 200 characters"],
  ["member.unknown_role", "unknown role {{role}}; one of {{roles}}"],
  ["member.unknown_delegation", "delegation {{delegation}} is not a member of this meeting"],
  ["member.needs_delegation", "a {{role}} must belong to a delegation"],
  ["member.bad_email", "email {{email}} is not an e-mail address"],
  ["member.languages_not_translator", "only a translator has languages; a {{role}} has none"],
  ["member.translator_needs_language", "a translator translates into at least one of the meeting's languages"],
  ["member.unknown_language", "the meeting has no language \"{{language}}\" (it works in {{languages}})"],
  ["language.listed_twice", "a language is listed twice"],
  ["members.reset_alone", "reset a password on its own, not with other changes"],
  ["members.nothing_to_change", "nothing to change: give role, delegation, active or resetPassword"],
  ["members.csv_required", "send the member list as text/csv with the header username,displayName,role,delegation,email"],
  ["meeting.settings_invalid", "the meeting's settings are not valid"],
  ["meeting.would_orphan", "these changes would orphan members or documents"],
  ["meeting.ends_before_start", "the meeting ends ({{ends}}) before it starts ({{starts}})"],
  ["meeting.unknown_delegation", "{{delegation}} is not a known state, group or organisation"],
  ["meeting.delegation_twice", "{{delegation}} is listed twice"],
  ["meeting.delegation_in_use", "{{delegation}} cannot be removed: {{count}} member(s) belong to it"],
  ["meeting.language_in_use", "{{language}} cannot be removed: documents are written in it"],
  ["meeting.create_forbidden", "only a server administrator may create a meeting"],
  ["meeting.not_member_of", "you are not a member of this meeting"],
  ["meeting.edit_forbidden", "only the meeting's secretariat may change the meeting's settings"],
  ["members.add_forbidden", "only the meeting's secretariat may add members"],
  ["members.read_forbidden", "only the meeting's secretariat may list the members"],
  ["members.manage_forbidden", "only the meeting's secretariat may change members, import them or issue setup links"],
  ["body.create_forbidden", "only the meeting's secretariat may create bodies"],
  ["document.create_forbidden", "only the meeting's secretariat may create documents"],
  ["document.language_not_in_meeting", "{{language}} is not a language of this meeting ({{languages}})"],
  ["document.symbol_taken", "a document of this meeting already has the symbol {{symbol}}"],
  ["document.unknown_body", "body {{body}} is not a body of this meeting"],
  ["document.line_too_long", "content.text: line {{line}} is longer than {{max}} characters"],
  ["document.too_many_paragraphs", "a document may hold at most {{max}} paragraphs"],
  ["document.too_large", "a document may hold at most {{max}} (its text with its history); this change of {{size}} would go past it"],
  ["meeting.not_found", "meeting not found"],
  // numbering
  ["numbering.draft", "a draft is numbered in order as it is edited; its numbers are frozen when it goes to negotiation"],
  ["numbering.language_version", "a language version is numbered as its original: renumber the original"],
  ["numbering.frozen", "the document is {{state}}; its numbers can no longer change"],
  ["numbering.nothing_to_do", "the numbers already follow the order of the paragraphs; there is nothing to renumber"],
  ["numbering.secretariat_only", "only the secretariat renumbers a document"],
  // paragraph status
  ["status.no_status", "only preambular and operative paragraphs have an agreement status, not the {{kind}}"],
  ["status.locked_by", "{{paragraph}} is {{status}} by {{username}} and locked; the chair must reopen it before its text can change"],
  ["status.locked", "{{paragraph}} is {{status}} and locked; the chair must reopen it before its text can change"],
  ["status.agreed_no_delete", "paragraph {{paragraph}} is agreed ({{status}}): a delegate cannot delete it; propose a deletion as an amendment"],
  ["amendment.tabled_no_delete", "{{paragraph}} has amendments on the table ({{amendments}}): a delegate cannot delete it; propose a deletion as an amendment"],
  ["bracket.open_no_delete", "{{paragraph}} holds open brackets ({{brackets}}): a delegate cannot delete it; propose a deletion as an amendment"],
  ["bracket.held_text_stays", "bracket {{bracket}} is held by {{holders}}: its text stays until the holders lift their holds and the chair resolves it"],
  ["bracket.unknown_mark", "bracket \"{{bracket}}\" does not exist; brackets are opened through the server"],
  ["bracket.other_paragraphs", "bracket {{bracket}} belongs to {{paragraph}}; a bracket stays inside its paragraphs"],
  ["bracket.other_paragraph", "bracket {{bracket}} belongs to {{paragraph}}; a bracket stays inside its paragraph"],
  ["bracket.mark_closed", "bracket {{bracket}} is {{state}}; its mark cannot come back"],
  ["bracket.other_group", "bracket {{bracket}} has another option group"],
  // the reasons guards give (server/commands/guards.ts): what keeps a document clean, a paragraph agreed, a text from changing
  ["amendment.stale_on", "amendment {{amendment}} on {{paragraph}} is stale; its sponsor must rebase or withdraw it, or the chair reject it"],
  ["amendment.tabled_on", "amendment {{amendment}} tabled on {{paragraph}}"],
  ["bracket.open_in", "bracket {{bracket}} {{text}} is open in {{paragraph}}"],
  ["bracket.typed_no_partner", "typed bracket in {{paragraph}} ({{excerpt}}) is no real bracket and has no partner; remove it or type its partner"],
  ["bracket.typed_not_converted", "typed brackets in {{paragraph}} ({{excerpt}}) are no real bracket; the chair converts them into one, or someone removes them"],
  ["consolidation.source_deleted", "{{paragraph}}: its source paragraph was deleted from {{symbol}}; pull or decline the deletion"],
  ["consolidation.source_changed", "{{paragraph}}: its source {{source}} changed; pull or decline the change"],
  ["status.still_white", "{{paragraph}} is still white (not agreed)"],
  ["translation.missing", "{{language}}: {{paragraph}} is not translated"],
  ["translation.outdated", "{{language}}: {{paragraph}} is outdated"],
  ["guard.more_open_brackets", "… and {{count}} more open brackets"],
  ["guard.more_typed_brackets", "… and {{count}} more typed brackets"],
  ["guard.more_paragraphs", "… and {{count}} more paragraphs"],
  ["guard.more_white_paragraphs", "… and {{count}} more white paragraphs"],
  // what a verification finds wrong with a signature, a version or the adopted text (server/lifecycle/verification.ts)
  ["verification.signer_not_minister", "the signature of {{delegation}} was recorded for {{role}} of {{recorded}}, not a minister of {{delegation}}"],
  ["verification.not_own_key", "the signature of {{delegation}} was not made with the minister's own key"],
  ["verification.key_missing", "the key the signature of {{delegation}} was made with is missing"],
  ["verification.key_changed", "the key of {{delegation}}'s minister was changed after it was registered"],
  ["verification.someone_elses_key", "the signature of {{delegation}} was made with someone else's key"],
  ["verification.key_unconfirmed", "the signature of {{delegation}} was made with a key the secretariat had not confirmed"],
  ["verification.does_not_verify", "the minister's signature of {{delegation}} does not verify with their key"],
  ["verification.statement_unreadable", "the statement signed by {{delegation}} is not readable"],
  ["verification.statement_mismatch", "the statement {{delegation}}'s minister signed is not about this signature's document, text or delegation"],
  ["verification.statement_misses_text", "the statement {{delegation}}'s minister signed does not cover the {{language}} text"],
  ["verification.statement_wrong_hash", "the statement {{delegation}}'s minister signed names {{hash}} for the {{language}} text, not its adopted hash {{adopted}}"],
  ["verification.statement_extra_texts", "the statement {{delegation}}'s minister signed names texts that were not adopted with this document"],
  ["verification.version_changed", "the stored text of version {{symbol}} ({{label}}) no longer hashes to its hash {{hash}}"],
  ["verification.version_unrecorded", "version {{symbol}} ({{label}}) has a hash the audit trail did not record"],
  ["verification.signature_changed", "the stored signature of {{delegation}} was changed after it was recorded"],
  ["verification.signature_unrecorded", "the signature of {{delegation}} has no record in the audit trail"],
  ["verification.signature_record_mismatch", "the signature of {{delegation}} does not match its audit record"],
  ["verification.signature_deleted", "the signature of {{delegation}} recorded in the audit trail is missing from the signatures"],
  ["verification.adopted_changed", "the adopted version {{symbol}} no longer hashes to {{hash}}"],
  ["verification.current_not_adopted", "the current text ({{current}}) is not the adopted text ({{adopted}})"],
  ["verification.language_adopted_changed", "the adopted {{language}} text no longer hashes to {{hash}}"],
  ["verification.language_current_not_adopted", "the current {{language}} text ({{current}}) is not its adopted text ({{adopted}})"],
  ["verification.audit_broken", "audit trail broken at event {{event}}: {{problem}}"],
  ["verification.signed_other_text", "{{delegation}} signed {{hash}}, not the adopted text"],
  // who must sign
  ["signatories.not_delegation", "{{delegation}} is not a delegation of this meeting"],
  ["signature.missing", "{{delegation}} has not signed"],
  // what the text's own rules refuse an update for (server/collab/validate.ts): content a person cannot type
  ["text.unknown_shared_type", "unknown shared type \"{{type}}\"; text lives in \"{{fragment}}\""],
  ["text.text_as_attribute", "text stored as an attribute"],
  ["text.unknown_mark", "unknown mark \"{{mark}}\""],
  ["text.mark_no_attributes", "mark \"{{mark}}\" takes no attributes"],
  ["text.malformed_mark", "malformed {{mark}} mark"],
  ["text.unknown_node_type", "unknown node type \"{{type}}\""],
  ["text.only_blocks_and_text", "only block elements and text may be inserted"],
  ["text.attribute_not_allowed", "attribute \"{{attribute}}\" is not allowed"],
  ["text.no_embedded_objects", "embedded objects are not allowed in the text"],
  ["text.only_text", "{{type}} may contain only text"],
  ["text.outside_block", "text outside a block"],
  ["text.nested_blocks", "blocks may not be nested"],
  ["text.outside_document", "changes outside the document text"],
  ["text.top_level_blocks", "only blocks may stand at the top level"],
  ["text.attribute_not_allowed_on", "attribute \"{{attribute}}\" is not allowed on {{type}}"],
  ["text.attribute_missing", "{{type}} is missing attribute \"{{attribute}}\""],
  ["text.attribute_invalid", "attribute \"{{attribute}}\" of {{type}} has an invalid value"],
  // the reasons written beside an error's sentence: a field's (validation), a list's
  ["reason.paragraph_deleted", "paragraph deleted"],
  ["validation.content_absent_for_delete", "content: must be absent for delete"],
  ["validation.content_required_for", "content: required for {{operation}}"],
  ["validation.content_shape", "content: must be {text} or an array of ProseMirror paragraphs"],
  ["validation.content_doc_shape", "content: must be a ProseMirror doc ({type: \"doc\", content: [...]}) or {text}"],
  ["validation.text_too_long", "{{field}}: longer than {{max}} characters"],
  ["validation.too_many_paragraphs", "content: at most {{max}} paragraphs in one amendment"],
  ["validation.paragraph_id_twice", "content: paragraph id {{id}} is used twice"],
  ["validation.delete_not_modifiable", "decision: delete cannot be modified"],
  ["reason.no_paragraph_id", "no paragraph with id {{paragraph}}"],
  ["reason.target_kind", "target is a {{kind}}"],
  ["validation.text_length", "text: 1 to {{max}} characters"],
  ["reason.no_sponsorship_offer", "no sponsorship offer from {{delegation}}"],
  ["validation.recommendation_paragraph", "paragraphId: required (the recommendation points at none)"],
  ["reason.document_state", "document state: {{state}}"],
  ["reason.amendment_state", "amendment state: {{state}}"],
  ["validation.holder_not_group", "holder: {{holder}} is not a group of the meeting"],
  ["validation.range_bounds", "from/to: 0 <= from < to <= {{length}}"],
  ["validation.range_surrogate", "from/to: must not fall inside a surrogate pair"],
  ["validation.paragraphs_consecutive", "paragraphIds: consecutive paragraphs in document order"],
  ["validation.paragraphs_only_whole", "paragraphs: only beside a bracket of whole paragraphs"],
  ["validation.option_paragraphs", "paragraphs: one or more non-empty texts, or noText: true"],
  ["validation.paragraphs_too_long", "paragraphs: too long"],
  ["validation.typed_offset", "offset: the offset of a typed \"[\""],
  ["validation.holder_unknown", "holders: {{holder}} is unknown"],
  ["reason.texts_in", "its texts are in {{languages}}"],
  ["reason.format_is", "format is {{format}}"],
  ["reason.view_is", "view is {{view}}"],
  ["reason.paragraph_length", "{{paragraph}} has {{length}} characters"],
  ["reason.original_is", "the original is document {{document}}"],
  ["reason.meeting_languages", "the meeting works in {{languages}}"],
  ["reason.languages_listed", "GET /api/documents/:id/languages lists them"],
  ["validation.no_paragraph_in_text", "paragraphId: no paragraph {{paragraph}} in the text"],
  ["reason.you_sent", "you sent {{hash}}"],
  ["reason.adopted_version_has", "the adopted version {{symbol}} has {{hash}}"],
  ["reason.key_explained", "a signature is made with a key only you hold, in your browser; the secretariat confirms its fingerprint once"],
  ["reason.confirmed_fingerprint", "your confirmed key has the fingerprint {{fingerprint}}"],
  ["reason.sign_where_key", "sign in the browser that holds that key, or ask the secretariat to revoke it and register a new one"],
  ["reason.key_fingerprint", "the key's fingerprint is {{fingerprint}}"],
  ["reason.statement_form", "the statement must be the sorted-key JSON of its fields, without white space"],
  ["reason.may_move_to", "from {{state}} you may move it to: {{states}}"],
  ["reason.may_not_move", "from {{state}} you may not move it"],
  ["validation.expected", "{{field}}: expected {{value}}"],
  ["validation.required", "{{field}}: required"],
  ["validation.empty", "{{field}}: must not be empty"],
  ["validation.not_allowed", "{{field}}: not allowed"],
  ["validation.nul", "{{field}}: contains a NUL character"],
  ["validation.content_problem", "content: {{problem}}"],
  // the parts of the summary of why a document is not clean (server/lifecycle/blockers.ts)
  ["not_clean.brackets_open_in", "{{count}} brackets open ({{paragraphs}})"],
  ["not_clean.brackets_open", "{{count}} brackets open"],
  ["not_clean.amendments_undecided_named", "{{count}} amendments undecided ({{amendments}})"],
  ["not_clean.amendments_undecided", "{{count}} amendments undecided"],
  ["not_clean.paragraphs_white_named", "{{count}} paragraphs still white ({{paragraphs}})"],
  ["not_clean.paragraphs_white", "{{count}} paragraphs still white"],
  // the text over the websocket
  ["text.refused_too_often", "too many refused updates"],
  ["text.cannot_store", "the server could not store your change"],
  ["text.cannot_store_reconnecting", "the server could not store your change; reconnecting"],
  ["text.undecodable", "the update cannot be decoded"],
  ["text.cannot_apply", "it cannot be applied"],
  ["text.unknown_base", "it builds on content the server does not have; reload the document"],
  ["text.block_too_long", "a block may hold at most {{max}} characters"],
  ["text.id_changed", "a paragraph's id never changes; this update renames one to \"{{id}}\""],
  ["text.duplicate_id", "duplicate paragraph id \"{{id}}\""],
  ["text.title_first", "a document starts with its title"],
  ["text.one_title", "a document has one title"],
  ["text.keep_title", "a document must keep its title"],
  ["text.malformed", "malformed message"],
  ["text.unknown_message", "unknown sync message"],
  ["presence.too_many", "at most {{rate}} presence changes a second"],
  ["connection.too_far_behind", "too far behind; reconnect to resync"],
  ["connection.session_ended", "your session has ended; sign in again"],
  ["connection.session_expired", "your session has expired; sign in again"],
  ["connection.access_changed", "your access changed; reconnecting"],
  ["connection.too_many", "too many open connections for this user"],
  ["connection.shutting_down", "server shutting down"],
  ["connection.reloaded", "document reloaded; reconnect"],
  ["connection.cannot_open", "the server could not open this document; try again later"],
  // already in the catalogues, matched for the websocket
  ["text.frozen", "the document is {{state}}; its text can no longer change"],
  ["document.quarantined", "this document's stored text is damaged; it is quarantined and the secretariat has been told"],
  ["document.quarantined_room", "document quarantined: its stored text is damaged; the secretariat has been told"],
  ["text.held_back", "update held back: {{fault}}; your change stays with you and is sent again once the server can store it"],
  ["session.required", "sign in first"],
  ["document.not_found", "document not found"],
];

/**
 * Every action a guard may block, by its stable code, with its English phrase as the
 * English catalogue of the editor holds it (`action.<code>`): the `doing` of an
 * `action.blocked` refusal ("A3 cannot be accepted: …"), whose code and values the answer
 * carries in `doingCode` (docs/API.md, "Error codes"). test/error-codes.test.ts checks that
 * both catalogues have each and that every blocked action the server names is one of these.
 */
export const ACTION_PHRASES = {
  "amendment.accept": "{{amendment}} cannot be accepted",
  "amendment.table": "the amendment cannot be tabled",
  "amendment.propose": "no amendment can be proposed here",
  "recommendation.submit": "no recommendation can be submitted here",
  "bracket.open": "no bracket can be opened here",
  "bracket.add_option": "no option can be added to bracket {{bracket}} here",
  "bracket.resolve": "bracket {{bracket}} cannot be resolved here",
  "bracket.convert_typed": "no typed bracket can be made a bracket here",
  "deletion.restore": "no deleted paragraph can be restored here",
  "consolidation.pull": "the source change cannot be pulled now",
  "status.set": "paragraph statuses cannot be set here",
  // `status` as the room says it in a sentence ("ad ref"), as in status.locked.
  "status.turn": "{{paragraph}} cannot turn {{status}}",
} as const;

/** The stable code of an action a guard may block. */
export type ActionCode = keyof typeof ACTION_PHRASES;

/** An action a guard may block: its code and the values its phrase names. */
export interface Action {
  code: ActionCode;
  params?: ErrorParams;
}

/** The English phrase of an action, its values put in ("A3 cannot be accepted"). */
export function actionPhrase(action: Action): string {
  return ACTION_PHRASES[action.code].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(action.params?.[name] ?? ""));
}

/** A refusal's code and the values its sentence names. */
export interface Refusal {
  code: string;
  params?: ErrorParams;
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each sentence as an anchored pattern whose named groups are its values (a value named twice must be the same). */
const PATTERNS = REFUSAL_SENTENCES.map(([code, sentence]) => {
  const named = new Set<string>();
  const source = sentence
    .split(/(\{\{\w+\}\})/)
    .map((part) => {
      const name = /^\{\{(\w+)\}\}$/.exec(part)?.[1];
      if (name === undefined) return literally(part);
      if (named.has(name)) return `\\k<${name}>`;
      named.add(name);
      return `(?<${name}>.+?)`;
    })
    .join("");
  return { code, pattern: new RegExp(`^${source}$`, "s") };
});

/** The code and values of a refusal sentence, or null for a sentence the table does not know. */
export function refusalOf(sentence: string): Refusal | null {
  for (const { code, pattern } of PATTERNS) {
    const match = pattern.exec(sentence);
    if (!match) continue;
    const groups = Object.entries(match.groups ?? {});
    if (groups.length === 0) return { code };
    // A count is a number, so that a catalogue chooses its plural form by it.
    return { code, params: Object.fromEntries(groups.map(([name, value]) => [name, /^\d+$/.test(value!) ? Number(value) : value!])) };
  }
  return null;
}

/**
 * The code and values of each of a refusal's reasons (a guard's sentences), in the order of
 * `reasons` and null for one the table does not know: the answer's `reasonCodes`, beside
 * the English `reasons` (docs/API.md, "Error codes").
 */
export function reasonCodes(reasons: readonly string[]): Array<Refusal | null> {
  return reasons.map(refusalOf);
}
