//! The breaking-change gate on edits of the real contract: breaking edits are caught, additive
//! ones pass, and a new major version is allowed to break.

use api_codegen::Spec;
use api_codegen::contract_diff::{Verdict, breaking_changes, check};
use serde_json::{Value, json};

fn contract() -> Spec {
    Spec::load(&api_codegen::contract_path()).unwrap()
}

fn edited(edit: impl FnOnce(&mut Value)) -> Spec {
    let mut spec = contract();
    edit(&mut spec.document);
    spec
}

fn assert_breaks(edit: impl FnOnce(&mut Value), expected: &str) {
    let changed = edited(edit);
    let findings = breaking_changes(&contract(), &changed);
    assert!(
        findings.iter().any(|finding| finding.contains(expected)),
        "expected a finding containing {expected:?}, got {findings:?}"
    );
    assert!(matches!(check(&contract(), &changed), Verdict::Breaking(_)));
}

#[test]
fn the_contract_is_compatible_with_its_baseline() {
    let baseline = Spec::load(&api_codegen::baseline_path()).unwrap();
    let findings = breaking_changes(&baseline, &contract());
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn removing_an_operation_breaks() {
    assert_breaks(
        |doc| {
            doc["paths"]["/v1/carts/{cartId}"]
                .as_object_mut()
                .unwrap()
                .remove("get");
        },
        "removed operation GET /v1/carts/{cartId}",
    );
}

#[test]
fn renaming_an_operation_breaks() {
    assert_breaks(
        |doc| doc["paths"]["/v1/carts/{cartId}"]["get"]["operationId"] = json!("fetchCart"),
        "renamed",
    );
}

#[test]
fn removing_a_response_field_breaks() {
    assert_breaks(
        |doc| {
            doc["components"]["schemas"]["Cart"]["properties"]
                .as_object_mut()
                .unwrap()
                .remove("version");
        },
        "removed field Cart.version",
    );
}

#[test]
fn retyping_a_field_breaks() {
    assert_breaks(
        |doc| {
            doc["components"]["schemas"]["Money"]["properties"]["amount"] =
                json!({"type": "string"})
        },
        "field Money.amount retyped from integer(int64) to string",
    );
}

#[test]
fn a_new_required_request_field_breaks() {
    assert_breaks(
        |doc| {
            let schema = &mut doc["components"]["schemas"]["AddCartLineRequest"];
            schema["properties"]["giftWrap"] = json!({"type": "boolean"});
            schema["required"]
                .as_array_mut()
                .unwrap()
                .push(json!("giftWrap"));
        },
        "new required request field AddCartLineRequest.giftWrap",
    );
}

#[test]
fn a_new_required_parameter_breaks() {
    assert_breaks(
        |doc| {
            doc["paths"]["/v1/products"]["get"]["parameters"]
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "region", "in": "query", "required": true,
                             "schema": {"type": "string"}}))
        },
        "new required parameter query:region",
    );
}

#[test]
fn removing_an_enum_value_breaks() {
    assert_breaks(
        |doc| doc["components"]["schemas"]["CartStatus"]["enum"] = json!(["open"]),
        "schema CartStatus lost enum value converted",
    );
}

#[test]
fn additive_changes_pass() {
    let additive = edited(|doc| {
        let schemas = &mut doc["components"]["schemas"];
        schemas["AddCartLineRequest"]["properties"]["note"] = json!({"type": "string"});
        schemas["Cart"]["properties"]["giftMessage"] = json!({"type": "string"});
        schemas["Cart"]["required"]
            .as_array_mut()
            .unwrap()
            .push(json!("giftMessage"));
        doc["paths"]["/v1/wishlists"] = json!({"get": {
            "operationId": "listWishlists", "summary": "List wishlists", "tags": ["carts"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/CategoryList"}}}}}
        }});
        doc["paths"]["/v1/products"]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "onSale", "in": "query", "schema": {"type": "boolean"}}));
    });
    let findings = breaking_changes(&contract(), &additive);
    assert!(findings.is_empty(), "{findings:?}");
    assert!(matches!(check(&contract(), &additive), Verdict::Compatible));
}

#[test]
fn a_new_major_version_may_break() {
    let v2 = edited(|doc| {
        doc["info"]["version"] = json!("2.0.0");
        doc["paths"]
            .as_object_mut()
            .unwrap()
            .remove("/v1/carts/{cartId}");
    });
    match check(&contract(), &v2) {
        Verdict::NewMajorVersion {
            from: 1,
            to: 2,
            breaking,
        } => assert!(!breaking.is_empty()),
        _ => panic!("a major version bump must allow breaking changes"),
    }
}
