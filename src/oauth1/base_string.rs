//! The signature base string: `METHOD&pct(base URI)&pct(parameter string)`.

use crate::format::percent_encode;

/// The base string for an uppercase-able method, a base URI and a parameter string.
pub fn base_string(method: &str, base_uri: &str, params: &str) -> String {
    let mut out = method.to_ascii_uppercase();
    out.push('&');
    percent_encode(base_uri, &mut out);
    out.push('&');
    percent_encode(params, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::{base_uri::split, params::parameter_string};
    use super::*;

    #[test]
    fn published_vector() {
        let url = "https://sandbox.api.mastercard.com/merchantid/v1/merchantid?Format=XML&Format=JSON&MerchantId=GOOGLE%20LTD%20ADWORDS%20CC%40GOOGLE.COM&Type=ExactMatch";
        let s = split(url).unwrap();
        let p = parameter_string(
            s.query,
            &[
                ("oauth_consumer_key", "aaa!aaa"),
                ("oauth_nonce", "uTeLPs6K"),
                ("oauth_signature_method", "RSA-SHA256"),
                ("oauth_timestamp", "1524771555"),
                ("oauth_version", "1.0"),
            ],
        );
        assert_eq!(
            base_string("get", &s.base_uri, &p),
            "GET&https%3A%2F%2Fsandbox.api.mastercard.com%2Fmerchantid%2Fv1%2Fmerchantid&Format%3DJSON%26Format%3DXML%26MerchantId%3DGOOGLE%2520LTD%2520ADWORDS%2520CC%2540GOOGLE.COM%26Type%3DExactMatch%26oauth_consumer_key%3Daaa%21aaa%26oauth_nonce%3DuTeLPs6K%26oauth_signature_method%3DRSA-SHA256%26oauth_timestamp%3D1524771555%26oauth_version%3D1.0"
        );
    }
}
