/*
*This is auto generated from the ControlManifest.Input.xml file
*/

// Define IInputs and IOutputs Type. They should match with ControlManifest.
export interface IInputs {
    phone: ComponentFramework.PropertyTypes.StringProperty;
    relayUrl: ComponentFramework.PropertyTypes.StringProperty;
    templateLanguage: ComponentFramework.PropertyTypes.StringProperty;
    authMode: ComponentFramework.PropertyTypes.EnumProperty<"entra" | "dev">;
    knowledgeUrlTemplate: ComponentFramework.PropertyTypes.StringProperty;
}
export interface IOutputs {
    phone?: string;
}
