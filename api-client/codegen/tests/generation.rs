//! Golden tests of the generator: the committed client is exactly what the contract generates,
//! and generating twice gives identical bytes.

use api_codegen::{Spec, contract_path, generate, stale_files, workspace_root};

#[test]
fn committed_client_matches_the_contract() {
    let spec = Spec::load(&contract_path()).unwrap();
    let stale = stale_files(&workspace_root(), &generate(&spec).unwrap());
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `cargo xtask codegen`"
    );
}

#[test]
fn generation_is_deterministic() {
    let first = generate(&Spec::load(&contract_path()).unwrap()).unwrap();
    let second = generate(&Spec::load(&contract_path()).unwrap()).unwrap();
    assert_eq!(first, second);
}

#[test]
fn every_operation_of_the_contract_gets_a_method() {
    let spec = Spec::load(&contract_path()).unwrap();
    let generated = generate(&spec).unwrap();
    let (_, operations) = generated
        .iter()
        .find(|(path, _)| path.ends_with("operations.rs"))
        .unwrap();
    let mut count = 0;
    for item in spec.document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation["operationId"].as_str() {
                count += 1;
                assert!(
                    operations.contains(&format!("const OPERATION: &str = \"{id}\";"))
                        || operations.contains(&format!("\"{id}\",")),
                    "no method for {id}"
                );
            }
        }
    }
    assert_eq!(
        count, 84,
        "the contract's operation count changed: update this test"
    );
}
