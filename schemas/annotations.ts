// Annotations conversion uses to carry fields one version has and another lacks,
// so that round trips through the hub (and back) are lossless.

/**
 * TrafficTarget v1alpha1/v1alpha2 `destination.port`, which the hub (v1alpha3)
 * dropped. Value: the port number as a decimal string. Adapters may honour it as
 * a port restriction on the destination.
 */
export const DESTINATION_PORT_ANNOTATION = 'smi-operator.io/destination-port';

/**
 * v1alpha1 TrafficSplit weights as written (Quantity strings), JSON array in
 * backend order. Used on the way back only while they still equal the hub weights.
 */
export const V1ALPHA1_WEIGHTS_ANNOTATION = 'smi-operator.io/v1alpha1-weights';

/**
 * Hub fields an older version cannot hold (TrafficSplit spec.matches, HTTPRouteGroup
 * headers, TCPRoute spec.matches), JSON. Restored when converting back to the hub.
 */
export const HUB_FIELDS_ANNOTATION = 'smi-operator.io/hub-fields';

export const CONVERSION_ANNOTATIONS = [DESTINATION_PORT_ANNOTATION, V1ALPHA1_WEIGHTS_ANNOTATION, HUB_FIELDS_ANNOTATION] as const;
