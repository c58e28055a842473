// Placeholder: the HashSig tests land with the module.
